using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Crypto;
using Integrations.Core.Events;
using Integrations.Core.OAuth.Flows;
using Integrations.Core.OAuth.Protocol;
using Integrations.Core.OAuth.Tokens;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Jobs;

/// <summary>
/// Polls a provider's token endpoint for an RFC 8628 device authorization, durably: each poll is one queue message, and a
/// pending answer sends the next message with the interval as its visibility delay — no instance holds the flow in memory.
/// §3.5: <c>authorization_pending</c> continues at the interval, <c>slow_down</c> adds 5 seconds to it for every later poll,
/// <c>expired_token</c> and <c>access_denied</c> end the flow (the connection's status_reason says why, and a
/// <c>connection.device_authorization_failed</c> event records it). The device code is a credential: the message carries it
/// sealed by the envelope cipher, bound to the connection and the flow, never plain.
/// </summary>
/// <remarks>
/// While a flow runs, a <c>pending</c> connection's status_reason says it waits for the user (and until when). A message is
/// delivered at least once: a duplicate poll is harmless (the provider answers pending, or the code was already redeemed and it
/// answers <c>invalid_grant</c>, which ends only that duplicate — the connection is active by then and is left alone).
/// </remarks>
public sealed partial class DevicePollingJob(
    IJobDispatcher jobs, EnvelopeCipher cipher, ConnectFlowService flows, IConnectionStore store, IConnectionTokenService tokens,
    ConnectionStateChanges changes, EventWriter events, TimeProvider time, ILogger<DevicePollingJob> logger) : IQueueJobHandler
{
    /// <summary>RFC 8628 §3.5: every slow_down adds 5 seconds to the interval.</summary>
    public static readonly TimeSpan SlowDownIncrement = TimeSpan.FromSeconds(5);

    private static readonly ChangeActor Actor = ChangeActor.Job("DevicePolling");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Seals the device code, marks a pending connection as waiting, and schedules the first poll after the interval.</summary>
    public async Task BeginAsync(Connection connection, DeviceAuthorization authorization, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(authorization);
        var now = time.GetUtcNow();
        var flowId = Ids.New("dev");
        var expiresAt = now + authorization.ExpiresIn;
        var code = Encoding.UTF8.GetBytes(authorization.DeviceCode);
        SealedSecret sealedCode;
        try
        {
            sealedCode = await cipher.SealAsync(code, Context(connection.OrganizationId, connection.ProjectId, connection.Id, flowId), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(code);
        }

        var message = new DevicePollMessage(connection.OrganizationId, connection.ProjectId, connection.Id, actor, flowId,
            Convert.ToBase64String(sealedCode.Bytes), (int)Math.Ceiling(authorization.Interval.TotalSeconds), expiresAt);
        // Recording the flow supersedes an earlier one still polling: its next message sees another flow id and stops.
        if (connection.State.Status == ConnectionStatus.Pending)
        {
            await changes.ChangeStatusAsync(connection.OrganizationId, connection.ProjectId, connection.Id, ConnectionStatus.Pending,
                string.Create(CultureInfo.InvariantCulture, $"Waiting for the user to approve the device at {authorization.VerificationUri} (device authorization, until {expiresAt:O})."),
                Actor, s => s with { DeviceFlowId = flowId }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await changes.UpdateStateAsync(connection.OrganizationId, connection.ProjectId, connection.Id, s => s with { DeviceFlowId = flowId }, cancellationToken).ConfigureAwait(false);
        }

        await SendAsync(message, TimeSpan.FromSeconds(message.IntervalSeconds), cancellationToken).ConfigureAwait(false);
        Log.Started(logger, connection.Id, flowId, message.IntervalSeconds);
    }

    public async Task<QueueJobOutcome> RunAsync(QueueJobMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        DevicePollMessage? poll;
        try
        {
            poll = JsonSerializer.Deserialize<DevicePollMessage>(message.Body, Json);
        }
        catch (JsonException)
        {
            poll = null;
        }

        if (poll is null || !Ids.IsValid(ConnectionService.IdPrefix, poll.ConnectionId) || poll.IntervalSeconds is < 1 or > 3600)
        {
            return QueueJobOutcome.Rejected("Not a device polling message.");
        }

        var connection = await store.GetAsync(poll.OrganizationId, poll.ProjectId, poll.ConnectionId, cancellationToken).ConfigureAwait(false);
        if (connection is null || connection.Type != ConnectionType.OAuth2Device || !connection.Enabled || connection.State.Status == ConnectionStatus.Disabled)
        {
            Log.Abandoned(logger, poll.ConnectionId, poll.FlowId);
            return QueueJobOutcome.Completed;
        }

        if (connection.State.DeviceFlowId is { } current && !string.Equals(current, poll.FlowId, StringComparison.Ordinal))
        {
            // A later POST …/device started another flow: this one's user code is no longer the one the user was shown.
            // (A state without a flow id predates the field: its poll goes on.)
            Log.Superseded(logger, poll.ConnectionId, poll.FlowId);
            return QueueJobOutcome.Completed;
        }

        if (time.GetUtcNow() >= poll.ExpiresAt)
        {
            await EndAsync(connection, poll, "expired_token", "The device code expired before the user approved it.", cancellationToken).ConfigureAwait(false);
            return QueueJobOutcome.Completed;
        }

        string deviceCode;
        try
        {
            var opened = await cipher.OpenAsync(SealedSecret.Parse(Convert.FromBase64String(poll.SealedDeviceCode)),
                Context(poll.OrganizationId, poll.ProjectId, poll.ConnectionId, poll.FlowId), cancellationToken).ConfigureAwait(false);
            deviceCode = Encoding.UTF8.GetString(opened);
            CryptographicOperations.ZeroMemory(opened);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            // Altered or moved to another connection: the seal is bound to the connection and the flow.
            return QueueJobOutcome.Rejected("The sealed device code does not open for this connection.");
        }

        var result = await flows.PollDeviceAsync(connection, deviceCode, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            await EndAsync(connection, poll, "provider_unusable", $"The provider cannot be used: {result.Error.Message}", cancellationToken).ConfigureAwait(false);
            return QueueJobOutcome.Completed;
        }

        var answer = result.Value;
        if (answer.IsSuccess)
        {
            var stored = await tokens.StoreGrantAsync(connection, answer.Response, account: null, poll.ActorId, cancellationToken).ConfigureAwait(false);
            Log.Finished(logger, connection.Id, poll.FlowId, stored.IsSuccess);
            return QueueJobOutcome.Completed;
        }

        var failure = answer.Failure;
        switch (failure.Kind, failure.Error)
        {
            case (OAuthFailureKind.ProtocolError, "authorization_pending"):
                await SendAsync(poll, TimeSpan.FromSeconds(poll.IntervalSeconds), cancellationToken).ConfigureAwait(false);
                return QueueJobOutcome.Completed;
            case (OAuthFailureKind.ProtocolError, "slow_down"):
                var slower = poll with { IntervalSeconds = poll.IntervalSeconds + (int)SlowDownIncrement.TotalSeconds };
                await SendAsync(slower, TimeSpan.FromSeconds(slower.IntervalSeconds), cancellationToken).ConfigureAwait(false);
                return QueueJobOutcome.Completed;
            case (OAuthFailureKind.ProtocolError, "access_denied"):
                await EndAsync(connection, poll, "access_denied", "The user denied the device authorization.", cancellationToken).ConfigureAwait(false);
                return QueueJobOutcome.Completed;
            case (OAuthFailureKind.ProtocolError, "expired_token"):
                await EndAsync(connection, poll, "expired_token", "The device code expired before the user approved it.", cancellationToken).ConfigureAwait(false);
                return QueueJobOutcome.Completed;
            case (OAuthFailureKind.ProtocolError, var error):
                await EndAsync(connection, poll, error ?? "error", $"The provider refused the device authorization ({error ?? "error"}).", cancellationToken).ConfigureAwait(false);
                return QueueJobOutcome.Completed;
            default:
                // Transient (5xx, 429, network) or an open circuit: try again at the interval (or the server's Retry-After if longer).
                var delay = TimeSpan.FromSeconds(poll.IntervalSeconds);
                await SendAsync(poll, failure.RetryAfter is { } retryAfter && retryAfter > delay ? retryAfter : delay, cancellationToken).ConfigureAwait(false);
                return QueueJobOutcome.Completed;
        }
    }

    private async Task EndAsync(Connection connection, DevicePollMessage poll, string error, string reason, CancellationToken cancellationToken)
    {
        var text = reason + " Start again with POST …/device.";
        if (connection.State.Status == ConnectionStatus.Pending)
        {
            await changes.ChangeStatusAsync(connection.OrganizationId, connection.ProjectId, connection.Id, ConnectionStatus.Pending, text, Actor,
                s => s with { LastError = text }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // A connected device connection keeps its status and tokens: a failed re-connect does not disconnect it.
            await changes.UpdateStateAsync(connection.OrganizationId, connection.ProjectId, connection.Id, s => s with { LastError = text }, cancellationToken).ConfigureAwait(false);
        }

        await events.AppendAsync(connection.OrganizationId, connection.ProjectId, HubEventTypes.ConnectionDeviceAuthorizationFailed, "connection/" + connection.Id,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["error"] = error, ["flow_id"] = poll.FlowId }, cancellationToken).ConfigureAwait(false);
        Log.Ended(logger, connection.Id, poll.FlowId, error);
    }

    private Task SendAsync(DevicePollMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
        jobs.EnqueueAsync(JobQueues.DevicePolling, JsonSerializer.Serialize(message, Json), delay, cancellationToken);

    private static SealContext Context(string organizationId, string projectId, string connectionId, string flowId) =>
        new(organizationId, projectId, "connection/" + connectionId + "/device/" + flowId, 1);

    /// <summary>One poll's message. The device code is sealed (base64 of the sealed form); the rest are ids and times.</summary>
    internal sealed record DevicePollMessage(
        string OrganizationId, string ProjectId, string ConnectionId, string ActorId, string FlowId, string SealedDeviceCode, int IntervalSeconds, DateTimeOffset ExpiresAt)
    {
        public override string ToString() => $"DevicePollMessage {{ Connection = {ConnectionId}, Flow = {FlowId}, Interval = {IntervalSeconds} }}";
    }

    // Event ids 8471-8479: device polling. Ids only: never the device code.
    private static partial class Log
    {
        [LoggerMessage(EventId = 8471, Level = LogLevel.Information, Message = "Device authorization {FlowId} for connection {ConnectionId} started; polling every {Interval} s.")]
        public static partial void Started(ILogger logger, string connectionId, string flowId, int interval);

        [LoggerMessage(EventId = 8472, Level = LogLevel.Information, Message = "Device authorization {FlowId} for connection {ConnectionId} granted (stored: {Stored}).")]
        public static partial void Finished(ILogger logger, string connectionId, string flowId, bool stored);

        [LoggerMessage(EventId = 8473, Level = LogLevel.Warning, Message = "Device authorization {FlowId} for connection {ConnectionId} ended: {Error}.")]
        public static partial void Ended(ILogger logger, string connectionId, string flowId, string error);

        [LoggerMessage(EventId = 8474, Level = LogLevel.Information, Message = "Device authorization {FlowId} for connection {ConnectionId} abandoned: the connection is gone or disabled.")]
        public static partial void Abandoned(ILogger logger, string connectionId, string flowId);

        [LoggerMessage(EventId = 8475, Level = LogLevel.Information, Message = "Device authorization {FlowId} for connection {ConnectionId} stopped: a later device authorization superseded it.")]
        public static partial void Superseded(ILogger logger, string connectionId, string flowId);
    }
}
