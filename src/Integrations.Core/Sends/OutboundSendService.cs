using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Connections.Health;
using Integrations.Core.Connections.Proxy;
using Integrations.Core.Crypto;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Sends;

/// <summary>
/// Direct sends, the seed's webhook node: one outbound call to a URL or through a connection, stored with every attempt.
/// Every attempt goes through <see cref="IProxyTransport"/> (the SSRF guard at connect time, the attempt timeout, no
/// redirects) with one try per attempt: the retries are this service's, spaced by the send's retry policy on the
/// <see cref="JobQueues.OutboundSend"/> queue (a message re-sent with the delay as its visibility), never a sleeping process.
/// </summary>
/// <remarks>
/// <para>A queue message names a send and the attempt it is for. A message whose attempt is already recorded, or a send
/// already finished, does nothing — so a duplicate delivery of the message does not send twice on purpose, and the
/// attempt is recorded only if the row's ETag still matches (two instances racing record one attempt). A message seen
/// again after it recorded its attempt but before it queued the next (the process stopped in between) queues the next.</para>
/// <para>Through a connection each attempt reads the connection again and injects its credential as the proxy does
/// (<see cref="OutboundCredentials"/>, its policy, its default headers, the refresh after a 401 for OAuth), so a retry
/// uses the credential of its time and a connection disabled meanwhile stops the send.</para>
/// <para>Which failures are retried: no response (timeout, network, an open circuit) but a refused target, and 408, 425,
/// 429 and 5xx. A 2xx delivers; any other status (a redirect included: redirects are not followed) fails the send at once.</para>
/// </remarks>
public sealed partial class OutboundSendService(
    IOutboundSendStore store, IProxyTransport transport, EnvelopeCipher cipher, IJobDispatcher jobs, ConnectionService connections,
    OutboundCredentials credentials, ConnectionCache cache, TenancyService tenancy, TimeProvider time, ILogger<OutboundSendService> logger,
    IRetryStrategySchedule? strategies = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The retry schedule's named strategies (null where the outbound HTTP layer is not composed).</summary>
    public IRetryStrategySchedule? Strategies => strategies;

    /// <summary>
    /// Stores the send, then makes its first attempt now (blocking) or queues it (fire-and-forget). The returned send holds
    /// the first attempt when blocking.
    /// </summary>
    /// <param name="connection">The connection a connection send goes through, already checked usable by the caller; null for a URL.</param>
    /// <param name="body">The rendered body (JSON text) or null.</param>
    public async Task<OutboundSend> StartAsync(Project project, SendSpec spec, string? body, Connection? connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(spec);
        var now = time.GetUtcNow();
        var id = Ids.New(OutboundSend.IdPrefix);
        var payload = new SendPayload(spec.Url?.AbsoluteUri, spec.Path, spec.Query, spec.Headers, body);
        var plain = JsonSerializer.SerializeToUtf8Bytes(payload, Json);
        SealedSecret sealedRequest;
        try
        {
            sealedRequest = await cipher.SealAsync(plain, Context(project.OrganizationId, project.Id, id), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }

        var shown = (connection?.BaseUrl ?? spec.Url)!.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        var send = new OutboundSend(id, project.OrganizationId, project.Id, spec.Mode, spec.Method, shown, connection?.Id, SendState.Pending, spec.Retry,
            spec.Timeout, [], null, now, now, now, sealedRequest.Bytes);
        if (await store.TryCreateAsync(send, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            throw new InvalidOperationException("A new send id was already taken.");
        }

        send = await store.GetAsync(project.OrganizationId, project.Id, id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A send just written cannot be read.");
        Log.Accepted(logger, project.OrganizationId, project.Id, id, spec.Mode, shown);
        if (spec.Mode == SendMode.FireAndForget)
        {
            await EnqueueAsync(send, 1, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return send;
        }

        return await AttemptAsync(project, send, payload, 1, connection, cancellationToken).ConfigureAwait(false) ?? send;
    }

    /// <summary>The send, or not-found for an id of another project or tenant.</summary>
    public async Task<Result<OutboundSend>> GetAsync(Project project, string? sendId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (!Ids.IsValid(OutboundSend.IdPrefix, sendId))
        {
            return HubError.NotFound("send");
        }

        return await store.GetAsync(project.OrganizationId, project.Id, sendId!, cancellationToken).ConfigureAwait(false) is { } send ? send : HubError.NotFound("send");
    }

    /// <summary>
    /// Runs one queue message: attempt <paramref name="message"/>'s number of its send, unless it is done already.
    /// False when the message is not one of ours (the caller rejects it).
    /// </summary>
    /// <param name="redelivered">The queue has handed this message out before (its earlier run may have recorded the attempt and stopped).</param>
    public async Task<bool> RunQueuedAsync(string message, bool redelivered, CancellationToken cancellationToken = default)
    {
        SendMessage? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<SendMessage>(message, Json);
        }
        catch (JsonException)
        {
            parsed = null;
        }

        if (parsed is null || !Ids.IsValid(OutboundSend.IdPrefix, parsed.SendId) || parsed.Attempt is < 1 or > SendRules.MaxAttempts
            || string.IsNullOrEmpty(parsed.OrganizationId) || string.IsNullOrEmpty(parsed.ProjectId))
        {
            return false;
        }

        var send = await store.GetAsync(parsed.OrganizationId, parsed.ProjectId, parsed.SendId, cancellationToken).ConfigureAwait(false);
        if (send is null || send.IsFinished)
        {
            // Gone past its retention, or finished by an earlier copy of this message.
            return true;
        }

        if (send.Attempts.Count >= parsed.Attempt)
        {
            if (redelivered && send.State == SendState.Retrying && send.Attempts.Count == parsed.Attempt)
            {
                // Recorded, but the process stopped before the next attempt was queued: queue it (a duplicate is harmless).
                var wait = (send.NextAttemptAt ?? time.GetUtcNow()) - time.GetUtcNow();
                await EnqueueAsync(send, parsed.Attempt + 1, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }

        if (send.Attempts.Count != parsed.Attempt - 1)
        {
            return true;
        }

        var project = await tenancy.GetProjectAsync(send.OrganizationId, send.ProjectId, cancellationToken).ConfigureAwait(false);
        SendPayload? payload = null;
        try
        {
            var opened = await cipher.OpenAsync(SealedSecret.Parse(send.SealedRequest), Context(send.OrganizationId, send.ProjectId, send.Id), cancellationToken).ConfigureAwait(false);
            try
            {
                payload = JsonSerializer.Deserialize<SendPayload>(opened, Json);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(opened);
            }
        }
        catch (Exception ex) when (ex is SecretIntegrityException or FormatException or CryptographicException or ArgumentException or JsonException)
        {
            // Altered, moved from another send, or sealed under a key since retired: it cannot be sent.
            payload = null;
        }

        if (project is null || payload is null)
        {
            await FinishAsync(send, project is null ? "The project no longer exists." : "The stored request could not be opened.", cancellationToken).ConfigureAwait(false);
            return true;
        }

        await AttemptAsync(project, send, payload, parsed.Attempt, null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Deletes sends created longer ago than <paramref name="retention"/>.</summary>
    public async Task<int> DeleteExpiredAsync(TimeSpan retention, CancellationToken cancellationToken = default)
    {
        var deleted = await store.DeleteCreatedBeforeAsync(time.GetUtcNow() - retention, cancellationToken).ConfigureAwait(false);
        Log.Cleaned(logger, deleted);
        return deleted;
    }

    /// <summary>Makes attempt <paramref name="number"/>, records it and schedules the next; null when another copy recorded it first.</summary>
    private async Task<OutboundSend?> AttemptAsync(Project project, OutboundSend send, SendPayload payload, int number, Connection? connection, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var prepared = await PrepareAsync(project, send, payload, connection, cancellationToken).ConfigureAwait(false);
        SendAttempt attempt;
        var retryable = false;
        if (!prepared.IsSuccess)
        {
            attempt = new SendAttempt(number, at, null, 0, null, prepared.Error.Message);
            retryable = prepared.Error.Kind == ErrorKind.Unavailable;
        }
        else
        {
            (attempt, retryable) = await SendOnceAsync(prepared.Value, number, at, cancellationToken).ConfigureAwait(false);
            if (attempt.StatusCode == 401 && prepared.Value.Connection is { } used && !ConnectionTypes.IsOAuth(used.Type))
            {
                // As the proxy does: the upstream refused the static credential, perhaps changed on another instance.
                cache.EvictCredential(used);
            }
        }

        var now = time.GetUtcNow();
        var state = attempt.Succeeded ? SendState.Delivered : retryable && number < send.Retry.MaxAttempts ? SendState.Retrying : SendState.Failed;
        var delay = state == SendState.Retrying ? send.Retry.DelayBefore(number + 1, strategies) : TimeSpan.Zero;
        var updated = send with
        {
            State = state,
            Attempts = [.. send.Attempts, attempt],
            UpdatedAt = now,
            NextAttemptAt = state == SendState.Retrying ? now + delay : null,
            Reason = state == SendState.Failed ? FailureReason(attempt, retryable, number) : null,
        };
        if (await store.TryUpdateAsync(updated, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            Log.AttemptRaced(logger, send.Id, number);
            return null;
        }

        Log.Attempted(logger, send.OrganizationId, send.ProjectId, send.Id, number, attempt.StatusCode, state);
        if (state == SendState.Retrying)
        {
            await EnqueueAsync(updated, number + 1, delay, cancellationToken).ConfigureAwait(false);
        }

        return await store.GetAsync(send.OrganizationId, send.ProjectId, send.Id, cancellationToken).ConfigureAwait(false) ?? updated;
    }

    private static string FailureReason(SendAttempt attempt, bool retryable, int number) => attempt switch
    {
        { Error: { } error } when !retryable => error,
        { StatusCode: { } status } when !retryable => string.Create(CultureInfo.InvariantCulture, $"The receiver answered {status}, which is not retried."),
        _ => string.Create(CultureInfo.InvariantCulture, $"All {number} attempts failed; the last: {attempt.Error ?? "status " + attempt.StatusCode}."),
    };

    /// <summary>The request of one attempt: the URL as given, or the connection's base URL + path with its credential.</summary>
    private async Task<Result<Prepared>> PrepareAsync(Project project, OutboundSend send, SendPayload payload, Connection? connection, CancellationToken cancellationToken)
    {
        var callerHeaders = payload.Headers.Where(h => !SendRules.IsCredential(h.Key)).ToList();
        if (payload.Body is not null && !callerHeaders.Any(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            callerHeaders.Add(KeyValuePair.Create("Content-Type", "application/json"));
        }

        if (send.ConnectionId is null)
        {
            // A URL send's own Authorization or Cookie goes as its credential: the proxy's header filter drops a caller's.
            return new Prepared(send.Method, new Uri(payload.Url!), callerHeaders, [.. payload.Headers.Where(h => SendRules.IsCredential(h.Key))], null,
                "send:" + send.OrganizationId + ":" + new Uri(payload.Url!).GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped), null, payload.Body, send.Timeout);
        }

        if (connection is null)
        {
            var found = await connections.GetForUseAsync(project, send.ConnectionId, cancellationToken).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                return HubError.Invalid(SendErrors.Invalid, "The connection no longer exists.");
            }

            connection = found.Value;
        }

        if (ConnectionTester.BlockOf(connection) is var block and not ConnectionTestBlock.None)
        {
            return HubError.Invalid(SendErrors.Invalid, $"The connection cannot send ({block}).");
        }

        var resolved = ProxyPath.Resolve(connection.BaseUrl!, payload.Path, payload.Query);
        if (!resolved.IsValid)
        {
            return HubError.Invalid(SendErrors.Invalid, resolved.Message!);
        }

        var decision = ProxyPolicyEvaluator.Evaluate(connection.Policy, send.Method, resolved.Path!);
        if (!decision.IsAllowed)
        {
            return HubError.Invalid(SendErrors.Invalid, $"Denied by the connection's policy: {decision.Reason}.");
        }

        var credential = await credentials.ResolveAsync(connection, resolved.Target!, cancellationToken).ConfigureAwait(false);
        if (!credential.IsSuccess)
        {
            // A token that cannot be had now (refresh failing, provider down) may be had later: retried.
            return new HubError(ErrorKind.Unavailable, credential.Error.Code, "The connection's credential could not be had: " + credential.Error.Message);
        }

        return new Prepared(send.Method, credential.Value.Target, [.. callerHeaders, .. connection.DefaultHeaders.Where(h => ProxyHeaders.MayConfigure(h.Key))],
            credential.Value.Headers, credential.Value.Refresh, connection.Id, connection, payload.Body, send.Timeout);
    }

    private async Task<(SendAttempt Attempt, bool Retryable)> SendOnceAsync(Prepared prepared, int number, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var bytes = prepared.Body is null ? null : Encoding.UTF8.GetBytes(prepared.Body);
        using var body = bytes is null ? null : new MemoryStream(bytes, writable: false);
        var started = time.GetTimestamp();
        await using var response = await transport.SendAsync(new ProxyRequest
        {
            Method = prepared.Method,
            Target = prepared.Target,
            Headers = prepared.Headers,
            CredentialHeaders = prepared.CredentialHeaders,
            Body = body,
            BodyLength = bytes?.Length,
            CircuitKey = prepared.CircuitKey,
            // One try per attempt: the send's own policy spaces the retries on the queue.
            MaxAttempts = 1,
            AttemptTimeout = prepared.Timeout,
            RefreshCredentials = prepared.Refresh,
        }, cancellationToken).ConfigureAwait(false);
        if (!response.HasResponse)
        {
            var elapsed = (long)time.GetElapsedTime(started).TotalMilliseconds;
            return (new SendAttempt(number, at, null, elapsed, null, response.Failure.Reason), response.Failure.Kind != ProxyFailureKind.TargetRefused);
        }

        var buffer = new byte[OutboundSend.MaxResponseBodyBytes];
        var filled = 0;
        try
        {
            int read;
            while (filled < buffer.Length && (read = await response.Body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }
        }
        catch (IOException)
        {
            // The receiver broke off its body: the status stands, with what arrived.
        }

        var duration = (long)time.GetElapsedTime(started).TotalMilliseconds;
        var status = response.StatusCode;
        var text = filled == 0 ? null : Encoding.UTF8.GetString(buffer, 0, filled);
        return (new SendAttempt(number, at, status, duration, text, null), status is 408 or 425 or 429 or >= 500);
    }

    private async Task FinishAsync(OutboundSend send, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.TryUpdateAsync(send with { State = SendState.Failed, Reason = reason, UpdatedAt = now, NextAttemptAt = null }, cancellationToken).ConfigureAwait(false);
        Log.Abandoned(logger, send.Id, reason);
    }

    private Task EnqueueAsync(OutboundSend send, int attempt, TimeSpan delay, CancellationToken cancellationToken) =>
        jobs.EnqueueAsync(JobQueues.OutboundSend, JsonSerializer.Serialize(new SendMessage(send.OrganizationId, send.ProjectId, send.Id, attempt), Json), delay, cancellationToken);

    private static SealContext Context(string organizationId, string projectId, string sendId) => new(organizationId, projectId, "send/" + sendId, 1);

    /// <summary>One queued attempt: ids and the attempt's number only, never the request.</summary>
    internal sealed record SendMessage(string OrganizationId, string ProjectId, string SendId, int Attempt);

    private sealed record Prepared(
        string Method, Uri Target, IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<KeyValuePair<string, string>> CredentialHeaders, ProxyCredentialRefresh? Refresh,
        string CircuitKey, Connection? Connection, string? Body, TimeSpan Timeout)
    {
        public override string ToString() => "Prepared { (redacted) }";
    }

    // Event ids 9450-9469: direct sends. Ids, states and status codes only: never a URL path, header or body.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9450, Level = LogLevel.Information, Message = "Send {SendId} accepted in {OrganizationId}/{ProjectId} ({Mode}) to {Target}.")]
        public static partial void Accepted(ILogger logger, string organizationId, string projectId, string sendId, SendMode mode, string target);

        [LoggerMessage(EventId = 9451, Level = LogLevel.Information, Message = "Send {SendId} of {OrganizationId}/{ProjectId}: attempt {Attempt} answered {StatusCode}; now {State}.")]
        public static partial void Attempted(ILogger logger, string organizationId, string projectId, string sendId, int attempt, int? statusCode, SendState state);

        [LoggerMessage(EventId = 9452, Level = LogLevel.Information, Message = "Send {SendId}: attempt {Attempt} was recorded by another copy first; this one is dropped.")]
        public static partial void AttemptRaced(ILogger logger, string sendId, int attempt);

        [LoggerMessage(EventId = 9453, Level = LogLevel.Warning, Message = "Send {SendId} failed without an attempt: {Reason}")]
        public static partial void Abandoned(ILogger logger, string sendId, string reason);

        [LoggerMessage(EventId = 9454, Level = LogLevel.Information, Message = "Send cleanup deleted {Count} sends past their retention.")]
        public static partial void Cleaned(ILogger logger, int count);
    }
}
