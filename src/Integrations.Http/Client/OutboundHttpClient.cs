using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Integrations.Http.Guard;
using Integrations.Http.Hosting;
using Integrations.Http.Limits;
using Integrations.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Integrations.Http.Client;

/// <summary>
/// Sends one outbound HTTP request with the hub's rules: the SSRF guard at connect time, no redirects, the response
/// size cap, a per-attempt timeout, a named retry strategy and a circuit breaker per target. Expected failures
/// (4xx, 5xx, network, timeout, refused target, open circuit) come back as an <see cref="OutboundResult"/>, never
/// as exceptions; the caller's cancellation and programming errors throw.
/// </summary>
/// <remarks>
/// Retries re-send the same <see cref="HttpRequestMessage"/> through the named client's handler chain (as
/// Microsoft.Extensions.Http.Resilience does), so request content is buffered before the first attempt. Polly runs
/// here rather than in a handler so the result can say how many attempts were made and why the last one failed.
/// </remarks>
public sealed class OutboundHttpClient
{
    /// <summary>The IHttpClientFactory name of the guarded client (no retries) this class sends through.</summary>
    public const string ClientName = "Integrations.Http.Outbound";

    private readonly IHttpMessageHandlerFactory _handlers;
    private readonly OutboundPipelines _pipelines;
    private readonly OutboundHttpOptions _options;
    private readonly ILogger _logger;

    internal OutboundHttpClient(IHttpMessageHandlerFactory handlers, OutboundPipelines pipelines, IOptions<OutboundHttpOptions> options, ILogger<OutboundHttpClient> logger)
    {
        _handlers = handlers;
        _pipelines = pipelines;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Sends <paramref name="request"/> (an absolute http or https URI) and reads its response body.</summary>
    /// <exception cref="ArgumentException">The URI is not absolute http(s), the strategy is unknown, or MaxAttempts is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<OutboundResult> SendAsync(HttpRequestMessage request, OutboundCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        options ??= OutboundCallOptions.Default;
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The request needs an absolute http or https URI.", nameof(request));
        }

        var strategy = RetryStrategies.Get(options.Strategy);
        var maxAttempts = options.MaxAttempts ?? strategy.MaxAttempts;
        if (maxAttempts < 1 || maxAttempts > strategy.MaxAttempts)
        {
            throw new ArgumentOutOfRangeException(nameof(options), maxAttempts, $"MaxAttempts must be between 1 and {strategy.MaxAttempts} for {strategy.Name}.");
        }

        var attemptTimeout = options.AttemptTimeout ?? _options.Timeout;
        if (attemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), attemptTimeout, "AttemptTimeout must be greater than zero.");
        }

        if (options.MaxResponseBytes is { } responseCap)
        {
            if (responseCap <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), responseCap, "MaxResponseBytes must be greater than zero.");
            }

            request.Options.Set(ResponseSizeLimitHandler.MaxBytesOption, responseCap);
        }

        if (request.Content is not null)
        {
            // Every attempt sends the content again; a stream could be read only once.
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var authority = $"{uri.Scheme}://{uri.Host}:{uri.Port}";
        var targetKey = options.TargetKey ?? authority;
        using var invoker = new HttpMessageInvoker(_handlers.CreateHandler(ClientName), disposeHandler: false);
        var call = new OutboundCallState(request, options, targetKey, authority, invoker, _pipelines.ForTarget(targetKey));

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        Outcome<HttpResponseMessage> outcome;
        try
        {
            context.Properties.Set(OutboundContextKeys.MaxAttempts, maxAttempts);
            context.Properties.Set(OutboundContextKeys.AttemptTimeout, attemptTimeout);
            context.Properties.Set(OutboundContextKeys.Call, call);
            outcome = await _pipelines.ForStrategy(strategy).ExecuteOutcomeAsync(AttemptAsync, context, call).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        return Conclude(request, call, outcome, attemptTimeout, cancellationToken);
    }

    private static async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(ResilienceContext context, OutboundCallState call)
    {
        call.CountAttempt();
        return await call.Target.ExecuteOutcomeAsync(SendOnceAsync, context, call).ConfigureAwait(context.ContinueOnCapturedContext);
    }

    private static async ValueTask<Outcome<HttpResponseMessage>> SendOnceAsync(ResilienceContext context, OutboundCallState call)
    {
        HttpResponseMessage? response = null;
        try
        {
            response = await call.Invoker.SendAsync(call.Request, context.CancellationToken).ConfigureAwait(false);
            // The body is part of the attempt: its timeout, its size cap and its network errors are the attempt's.
            await response.Content.LoadIntoBufferAsync(context.CancellationToken).ConfigureAwait(false);
            return Outcome.FromResult(response);
        }
#pragma warning disable CA1031 // Every failure becomes an outcome for Polly; the client rethrows the ones that are not outbound errors.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            response?.Dispose();
            return Outcome.FromException<HttpResponseMessage>(exception);
        }
    }

    private OutboundResult Conclude(HttpRequestMessage request, OutboundCallState call, Outcome<HttpResponseMessage> outcome, TimeSpan attemptTimeout, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } exception)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (OutboundErrorClassifier.Classify(exception) is not { } kind)
            {
                ExceptionDispatchInfo.Throw(exception);
                throw exception; // unreachable: Throw does not return
            }

            var failure = new OutboundFailure(kind, null, call.Attempts, Describe(kind, exception, call, attemptTimeout), RetryAfterOf(exception), exception);
            Log.CallFailed(_logger, request.Method.Method, call.Authority, call.TargetKey, failure.Code, null, call.Attempts);
            return new OutboundResult(null, failure, call.Attempts);
        }

        var response = outcome.Result!;
        if (OutboundErrorClassifier.Classify(response.StatusCode) is { } statusKind)
        {
            var status = (int)response.StatusCode;
            var failure = new OutboundFailure(statusKind, response.StatusCode, call.Attempts, $"{call.Authority} answered HTTP {status}",
                _pipelines.RequestedDelay(outcome), null);
            Log.CallFailed(_logger, request.Method.Method, call.Authority, call.TargetKey, failure.Code, status, call.Attempts);
            return new OutboundResult(response, failure, call.Attempts);
        }

        Log.CallCompleted(_logger, request.Method.Method, call.Authority, call.TargetKey, (int)response.StatusCode, call.Attempts);
        return new OutboundResult(response, null, call.Attempts);
    }

    private string Describe(OutboundErrorKind kind, Exception exception, OutboundCallState call, TimeSpan attemptTimeout) => kind switch
    {
        OutboundErrorKind.TargetRefused => Find<OutboundRequestRefusedException>(exception)?.Message ?? "the SSRF guard refused the target",
        OutboundErrorKind.ResponseTooLarge =>
            call.Options.MaxResponseBytes is { } callCap && callCap < _options.MaxResponseBytes
                ? $"the response from {call.Authority} is larger than the call's cap ({callCap} bytes)"
                : $"the response from {call.Authority} is larger than {OutboundHttpOptions.SectionName}:MaxResponseBytes ({_options.MaxResponseBytes} bytes)",
        OutboundErrorKind.CircuitOpen => $"the circuit for target '{call.TargetKey}' is open after repeated failures; nothing was sent",
        OutboundErrorKind.Timeout => $"{call.Authority} did not answer completely within {attemptTimeout} (or its connection within {_options.ConnectTimeout})",
        // The socket error or HttpRequestError names what went wrong without the message, which may quote the request.
        _ => $"could not reach {call.Authority}: {(Find<SocketException>(exception) is { } socket ? socket.SocketErrorCode.ToString() : Find<HttpRequestException>(exception)?.HttpRequestError.ToString() ?? exception.GetType().Name)}",
    };

    private static TimeSpan? RetryAfterOf(Exception exception) => Find<BrokenCircuitException>(exception)?.RetryAfter;

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
}
