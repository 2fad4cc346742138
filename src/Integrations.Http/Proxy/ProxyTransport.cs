using System.Net;
using System.Runtime.ExceptionServices;
using Integrations.Core.Connections.Proxy;
using Integrations.Http.Client;
using Integrations.Http.Guard;
using Integrations.Http.Hosting;
using Integrations.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Integrations.Http.Proxy;

/// <summary>
/// <see cref="IProxyTransport"/> on the hub's guarded outbound stack: the same <see cref="OutboundPipelines"/> as
/// <see cref="OutboundHttpClient"/> (the named retry strategy, then the circuit breaker of the connection and the
/// attempt timeout), but an attempt ends at the response headers and the body streams to the caller.
/// </summary>
/// <remarks>
/// <para>It sends through its own named client, <see cref="ClientName"/>: the same SSRF-guarded connector, no
/// redirects, no HTTP/3, but no automatic decompression (the caller gets the upstream's bytes and its
/// <c>Content-Encoding</c>) and no <c>OutboundHttp:MaxResponseBytes</c> cap — that cap bounds what the hub buffers in
/// memory, and the proxy buffers nothing, so a proxied body is bounded only by the caller, who reads it.</para>
/// <para>A 401 is not one of the strategy's retries here: when the request has <see cref="ProxyRequest.RefreshCredentials"/>,
/// the transport asks it once for new credentials and makes one more attempt (breaker and timeout, no retries), so a
/// 401 costs at most one refresh whatever the retry settings.</para>
/// </remarks>
internal sealed class ProxyTransport : IProxyTransport
{
    /// <summary>The IHttpClientFactory name of the guarded, non-decompressing, uncapped client the proxy sends through.</summary>
    public const string ClientName = "Integrations.Http.Proxy";

    private readonly IHttpMessageHandlerFactory _handlers;
    private readonly OutboundPipelines _pipelines;
    private readonly ILogger _logger;

    public ProxyTransport(IHttpMessageHandlerFactory handlers, OutboundPipelines pipelines, ILogger<ProxyTransport> logger)
    {
        _handlers = handlers;
        _pipelines = pipelines;
        _logger = logger;
    }

    public async Task<ProxyResponse> SendAsync(ProxyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.Target;
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The proxy target must be an absolute http or https URI.", nameof(request));
        }

        if (request.AttemptTimeout <= TimeSpan.Zero || request.MaxAttempts < 1 || request.MaxBufferedBodyBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "AttemptTimeout must be positive, MaxAttempts at least 1 and MaxBufferedBodyBytes not negative.");
        }

        var strategy = RetryStrategies.Get(request.RetryStrategy);
        var authority = $"{uri.Scheme}://{uri.Host}:{uri.Port}";
        var (content, replayable) = await PrepareBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (!replayable)
        {
            ProxyLog.BodyNotReplayable(_logger, request.Method, authority, request.CircuitKey, request.MaxBufferedBodyBytes);
        }

        var message = new HttpRequestMessage(new HttpMethod(request.Method), uri) { Content = content };
        var handedOver = false;
        try
        {
            message.Headers.ExpectContinue = false;
            AddHeaders(message, ProxyHeaders.ForRequest(request.Headers));
            AddHeaders(message, Credentials(request.CredentialHeaders));

            // A connection asking for more retries than its strategy allows gets the strategy's maximum.
            var maxAttempts = replayable ? Math.Min(request.MaxAttempts, strategy.MaxAttempts) : 1;
            using var invoker = new HttpMessageInvoker(_handlers.CreateHandler(ClientName), disposeHandler: false);
            var options = new OutboundCallOptions { Strategy = strategy.Name, MaxAttempts = maxAttempts, TargetKey = request.CircuitKey, AttemptTimeout = request.AttemptTimeout };
            var call = new OutboundCallState(message, options, request.CircuitKey, authority, invoker, _pipelines.ForTarget(request.CircuitKey));

            var outcome = await RunAsync(_pipelines.ForStrategy(strategy), call, maxAttempts, request.AttemptTimeout, cancellationToken).ConfigureAwait(false);
            if (replayable && request.RefreshCredentials is { } refresh && outcome.Result is { StatusCode: HttpStatusCode.Unauthorized } unauthorized)
            {
                // RFC 6750 §3.1: invalid_token — the token part forces a refresh; one more attempt, outside the strategy's count.
                if (await refresh(cancellationToken).ConfigureAwait(false) is { } fresh)
                {
                    unauthorized.Dispose();
                    foreach (var name in request.CredentialHeaders.Select(header => header.Key).Concat(fresh.Select(header => header.Key)).Distinct(StringComparer.OrdinalIgnoreCase))
                    {
                        message.Headers.Remove(name);
                    }

                    AddHeaders(message, Credentials(fresh));
                    ProxyLog.RetryingWithRefreshedCredentials(_logger, request.Method, authority, request.CircuitKey);
                    outcome = await RunAsync(null, call, 1, request.AttemptTimeout, cancellationToken).ConfigureAwait(false);
                }
            }

            var response = await ConcludeAsync(request, call, outcome, message, cancellationToken).ConfigureAwait(false);
            handedOver = response.HasResponse;
            return response;
        }
        finally
        {
            if (!handedOver)
            {
                message.Dispose();
            }
        }
    }

    /// <summary>Through the retry pipeline when given, else one attempt (circuit breaker and timeout only).</summary>
    private static async Task<Outcome<HttpResponseMessage>> RunAsync(
        ResiliencePipeline<HttpResponseMessage>? retry, OutboundCallState call, int maxAttempts, TimeSpan attemptTimeout, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(OutboundContextKeys.MaxAttempts, maxAttempts);
            context.Properties.Set(OutboundContextKeys.AttemptTimeout, attemptTimeout);
            context.Properties.Set(OutboundContextKeys.Call, call);
            context.Properties.Set(OutboundContextKeys.RetryAuth, false);
            return retry is null
                ? await AttemptAsync(context, call).ConfigureAwait(false)
                : await retry.ExecuteOutcomeAsync(AttemptAsync, context, call).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // Counted before the breaker, as OutboundHttpClient counts: a call refused by an open circuit made one attempt.
    private static async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(ResilienceContext context, OutboundCallState call)
    {
        call.CountAttempt();
        return await call.Target.ExecuteOutcomeAsync(SendOnceAsync, context, call).ConfigureAwait(context.ContinueOnCapturedContext);
    }

    /// <summary>One attempt: up to the response headers. The body is left on the wire for the caller to stream.</summary>
    private static async ValueTask<Outcome<HttpResponseMessage>> SendOnceAsync(ResilienceContext context, OutboundCallState call)
    {
        // A token of our own, disposed when the attempt ends: the handler's registration on it must not outlive the
        // attempt, or the timeout strategy's pooled token, reused by a later call, could cancel this body mid-stream.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        try
        {
            return Outcome.FromResult(await call.Invoker.SendAsync(call.Request, attempt.Token).ConfigureAwait(false));
        }
#pragma warning disable CA1031 // Every failure becomes an outcome for Polly; Conclude rethrows the ones that are not outbound errors.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return Outcome.FromException<HttpResponseMessage>(exception);
        }
    }

    private async Task<ProxyResponse> ConcludeAsync(ProxyRequest request, OutboundCallState call, Outcome<HttpResponseMessage> outcome, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } exception)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var failure = OutboundErrorClassifier.Classify(exception) switch
            {
                OutboundErrorKind.TargetRefused => new ProxyFailure(ProxyFailureKind.TargetRefused,
                    Find<OutboundRequestRefusedException>(exception)?.Message ?? "the SSRF guard refused the target", null),
                OutboundErrorKind.CircuitOpen => new ProxyFailure(ProxyFailureKind.CircuitOpen,
                    $"the circuit for connection '{call.TargetKey}' is open after repeated failures; nothing was sent", Find<BrokenCircuitException>(exception)?.RetryAfter),
                OutboundErrorKind.Timeout => new ProxyFailure(ProxyFailureKind.Timeout,
                    $"{call.Authority} did not answer within {request.AttemptTimeout}", null),
                OutboundErrorKind.Network or OutboundErrorKind.ResponseTooLarge => new ProxyFailure(ProxyFailureKind.Network,
                    $"could not reach {call.Authority}: {Find<HttpRequestException>(exception)?.HttpRequestError.ToString() ?? exception.GetType().Name}", null),
                _ => null,
            };
            if (failure is null)
            {
                ExceptionDispatchInfo.Throw(exception);
            }

            ProxyLog.Failed(_logger, request.Method, call.Authority, call.TargetKey, failure.Kind.ToString(), call.Attempts);
            return new ProxyResponse(failure, call.Attempts);
        }

        var response = outcome.Result!;
        var headers = ProxyHeaders.ForResponse(
            response.Headers.Concat(response.Content.Headers).SelectMany(header => header.Value.Select(value => KeyValuePair.Create(header.Key, value))));
        ProxyLog.Completed(_logger, request.Method, call.Authority, call.TargetKey, (int)response.StatusCode, call.Attempts);
        // The headers are in; this stream reads the body off the wire as the caller copies it.
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new ProxyResponse((int)response.StatusCode, headers, body, call.Attempts, new Owned(response, message));
    }

    private static async Task<(HttpContent? Content, bool Replayable)> PrepareBodyAsync(ProxyRequest request, CancellationToken cancellationToken)
    {
        if (request.Body is not { } body)
        {
            return (null, true);
        }

        var limit = request.MaxBufferedBodyBytes;
        if (request.BodyLength is { } declared && declared > limit)
        {
            return (new StreamContent(body) { Headers = { ContentLength = declared } }, false);
        }

        // Read at most limit + 1 bytes: enough to know whether the body fits.
        var buffer = new byte[(int)Math.Min(limit + 1, request.BodyLength is { } length ? length + 1 : Math.Min(limit + 1, 81_920))];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (filled > limit)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min(limit + 1, (long)buffer.Length * 2));
            }

            var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        if (filled > limit)
        {
            var streamed = new StreamContent(new PrefixedReadStream(buffer.AsMemory(0, filled), body));
            streamed.Headers.ContentLength = request.BodyLength;
            return (streamed, false);
        }

        if (filled == 0 && request.BodyLength is null)
        {
            // No declared body (a GET from a server that always gives a body stream): send none.
            return (null, true);
        }

        return (new ByteArrayContent(buffer, 0, filled), true);
    }

    private static IEnumerable<KeyValuePair<string, string>> Credentials(IEnumerable<KeyValuePair<string, string>> headers) =>
        headers.Where(header => ProxyHeaders.MayConfigure(header.Key));

    private static void AddHeaders(HttpRequestMessage message, IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            // Content-Type and the other content headers live on the content; without a body they have nothing to describe.
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>Releases the upstream response (and so its connection) and the request with its buffered body.</summary>
    private sealed class Owned(HttpResponseMessage response, HttpRequestMessage request) : IDisposable
    {
        public void Dispose()
        {
            response.Dispose();
            request.Dispose();
        }
    }
}
