using System.Diagnostics;
using Integrations.Core.Common;
using Integrations.Core.Connections.Proxy;
using Integrations.Core.Telemetry;

namespace Integrations.Core.Connections.Health;

/// <summary>
/// A connection's test request — its configured method and path, with its credential, through the proxy transport
/// (SSRF guard, timeout, retries, circuit) — as <c>POST …/test</c> and the daily health check run it. Records
/// <c>last_tested_at</c>, and <c>last_error</c> when it fails; never moves the status itself (a token refresh on the way
/// may, as for any caller).
/// </summary>
public sealed class ConnectionTester(OutboundCredentials credentials, IProxyTransport transport, ConnectionStateChanges states, TimeProvider time)
{
    /// <summary>The test path does not resolve under the base URL (the proxy's code for the same refusal).</summary>
    public const string InvalidPathCode = "proxy-invalid-path";

    /// <summary>The prefix of <c>last_error</c> when a test fails.</summary>
    public const string ErrorPrefix = "test: ";

    /// <summary>Why <paramref name="connection"/> must not send anything, or <see cref="ConnectionTestBlock.None"/>.</summary>
    public static ConnectionTestBlock BlockOf(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!connection.Enabled || connection.State.Status == ConnectionStatus.Disabled)
        {
            return ConnectionTestBlock.Disabled;
        }

        return connection.State.Status switch
        {
            ConnectionStatus.NeedsReauth => ConnectionTestBlock.NeedsReauth,
            ConnectionStatus.Revoked => ConnectionTestBlock.Revoked,
            _ when connection.BaseUrl is null => ConnectionTestBlock.NoBaseUrl,
            _ => ConnectionTestBlock.None,
        };
    }

    /// <summary>
    /// Sends the test request of a connection that <see cref="BlockOf"/> lets send, and records the outcome on its state.
    /// An error (nothing sent, nothing recorded): the test path does not resolve (<see cref="InvalidPathCode"/>), or the
    /// credential could not be had (the token service's or the credential resolver's error).
    /// </summary>
    public async Task<Result<ConnectionTestResult>> TestAsync(Connection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.BaseUrl is null)
        {
            throw new InvalidOperationException("Check BlockOf first: the connection has no base URL.");
        }

        var resolved = ProxyPath.Resolve(connection.BaseUrl, connection.TestPath);
        if (!resolved.IsValid)
        {
            return HubError.Invalid(InvalidPathCode, resolved.Message, "test_request");
        }

        var credential = await credentials.ResolveAsync(connection, resolved.Target, cancellationToken).ConfigureAwait(false);
        if (!credential.IsSuccess)
        {
            return credential.Error;
        }

        using var activity = HubTelemetry.StartActivity("connection test");
        activity?.SetTag(HubTelemetry.Tags.OrganizationId, connection.OrganizationId);
        activity?.SetTag(HubTelemetry.Tags.ProjectId, connection.ProjectId);
        activity?.SetTag(HubTelemetry.Tags.ConnectionId, connection.Id);
        var started = Stopwatch.GetTimestamp();
        ConnectionTestResult result;
        await using (var response = await transport.SendAsync(new ProxyRequest
        {
            Method = connection.TestMethod,
            Target = credential.Value.Target,
            Headers = [.. connection.DefaultHeaders.Where(h => ProxyHeaders.MayConfigure(h.Key))],
            CredentialHeaders = credential.Value.Headers,
            CircuitKey = connection.Id,
            RetryStrategy = connection.RetryStrategy ?? "exponential_backoff",
            MaxAttempts = connection.Retries + 1,
            AttemptTimeout = connection.Timeout,
            RefreshCredentials = credential.Value.Refresh,
        }, cancellationToken).ConfigureAwait(false))
        {
            var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            result = response.HasResponse
                ? new ConnectionTestResult(response.StatusCode is >= 200 and < 300, response.StatusCode, elapsed,
                    $"The provider answered {response.StatusCode} to {connection.TestMethod} {connection.TestPath}.", response.Attempts)
                : new ConnectionTestResult(false, null, elapsed, "No answer: " + response.Failure.Reason + ".", response.Attempts);
        }

        activity?.SetTag(HubTelemetry.Tags.Outcome, result.Success ? HubTelemetry.Outcomes.Healthy : HubTelemetry.Outcomes.Failed);
        if (!result.Success)
        {
            activity.Fail("connection test failed");
        }

        var recorded = await RecordAsync(connection, result.Success, result.Message, CancellationToken.None).ConfigureAwait(false);
        if (!recorded.IsSuccess)
        {
            return recorded.Error!;
        }

        return result;
    }

    /// <summary>
    /// Records a test's outcome: <c>last_tested_at</c>, whether it succeeded, and on failure <c>last_error</c> (a success
    /// keeps the last error, which may be a refresh's). Returns the state before the write, so a caller can tell a
    /// connection that has just turned unhealthy.
    /// </summary>
    public async Task<Result<ConnectionState>> RecordAsync(Connection connection, bool success, string message, CancellationToken cancellationToken = default)
    {
        // Every test and health check ends here, whoever ran it (POST …/test, the daily check, a check that could not run).
        HubTelemetry.RecordConnectionCheck(success);
        ArgumentNullException.ThrowIfNull(connection);
        var now = time.GetUtcNow();
        ConnectionState? before = null;
        var updated = await states.UpdateStateAsync(connection.OrganizationId, connection.ProjectId, connection.Id, s =>
        {
            before = s;
            return s with { LastTestedAt = now, LastTestSucceeded = success, LastError = success ? s.LastError : ErrorPrefix + message };
        }, cancellationToken).ConfigureAwait(false);
        if (!updated.IsSuccess)
        {
            return updated.Error!;
        }

        return before!;
    }
}
