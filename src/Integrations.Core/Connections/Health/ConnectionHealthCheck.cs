using System.Globalization;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Connections.Health;

/// <summary>
/// The daily health check (a timer in both shells): runs every enabled connection's test request, across tenants, as
/// <c>POST …/test</c> does (<see cref="ConnectionTester"/>), <see cref="ConnectionHealthOptions.HealthCheckConcurrency"/>
/// at a time, each bounded by <see cref="ConnectionHealthOptions.HealthCheckTimeout"/>. One instance at a time (a
/// blob-lease lock). Skipped: connections that must not send (disabled, needs_reauth, revoked, no base URL — the
/// proxy's 409s) and those never connected (pending). Each check is audited (<see cref="AuditActions.ConnectionHealthCheck"/>,
/// actor <see cref="Actor"/>) with its outcome; a failure is recorded as <c>last_error</c>, and a connection whose
/// previous test had passed (or that had none) gets a <see cref="HubEventTypes.ConnectionHealthCheckFailed"/> event.
/// The status moves only as for any caller (a token refresh on the way may move it).
/// </summary>
public sealed partial class ConnectionHealthCheck(
    IConnectionScan scan, IConnectionStore connections, ConnectionTester tester, IDistributedLock locks, AuditLog audit, EventWriter events,
    IOptions<ConnectionHealthOptions> options, TimeProvider time, ILogger<ConnectionHealthCheck> logger)
{
    public const string ActorType = "System";

    /// <summary>Who the audit log names for the checks.</summary>
    public const string Actor = "job:CheckConnectionHealth";

    private const string Lock = "connection-health-check";

    /// <summary>What one run did.</summary>
    public sealed record Outcome(int Healthy, int Unhealthy, int Skipped);

    /// <summary>Checks every enabled connection; null when another instance holds the job's lock.</summary>
    /// <exception cref="AuditUnavailableException">An audit record could not be written: the run stops (fail closed).</exception>
    public async Task<Outcome?> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var held = await locks.TryAcquireAsync(Lock, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return null;
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        int healthy = 0, unhealthy = 0, skipped = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.HealthCheckConcurrency, CancellationToken = whileHeld.Token };
        await Parallel.ForEachAsync(scan.ListEnabledAsync(whileHeld.Token), parallel, async (location, ct) =>
        {
            switch (await CheckAsync(location, ct).ConfigureAwait(false))
            {
                case true:
                    Interlocked.Increment(ref healthy);
                    break;
                case false:
                    Interlocked.Increment(ref unhealthy);
                    break;
                default:
                    Interlocked.Increment(ref skipped);
                    break;
            }
        }).ConfigureAwait(false);

        Log.Completed(logger, healthy, unhealthy, skipped);
        return new Outcome(healthy, unhealthy, skipped);
    }

    /// <summary>True healthy, false unhealthy, null skipped.</summary>
    private async Task<bool?> CheckAsync(ConnectionLocation location, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(location.OrganizationId, location.ProjectId, location.ConnectionId, cancellationToken).ConfigureAwait(false);
        if (connection is null || ConnectionTester.BlockOf(connection) != ConnectionTestBlock.None || connection.State.Status == ConnectionStatus.Pending)
        {
            return null;
        }

        bool success;
        int status;
        string message;
        using (var timeout = new CancellationTokenSource(options.Value.HealthCheckTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                var tested = await tester.TestAsync(connection, linked.Token).ConfigureAwait(false);
                (success, status, message) = tested.IsSuccess
                    ? (tested.Value.Success, tested.Value.StatusCode ?? StatusOf(null), tested.Value.Message)
                    : (false, StatusOf(tested.Error), $"{tested.Error!.Code}: {tested.Error.Message}");
                if (!tested.IsSuccess)
                {
                    // Nothing was sent (no credential, or an invalid test path): still the connection's failure to record.
                    await tester.RecordAsync(connection, false, message, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                (success, status, message) = (false, 504, $"The health check did not finish within {options.Value.HealthCheckTimeout.TotalSeconds:0} seconds.");
                await tester.RecordAsync(connection, false, message, CancellationToken.None).ConfigureAwait(false);
            }
        }

        await audit.WriteAsync(new AuditEvent(connection.OrganizationId, connection.ProjectId, AuditActions.ConnectionHealthCheck,
            success ? AuditOutcomes.Success : AuditOutcomes.Error, status, ActorType, Actor, "connection/" + connection.Id, RequestId: Ids.New("job")),
            cancellationToken).ConfigureAwait(false);
        if (success)
        {
            return true;
        }

        Log.Unhealthy(logger, connection.OrganizationId, connection.ProjectId, connection.Id, status);
        if (connection.State.LastTestSucceeded != false)
        {
            var data = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["connection_id"] = connection.Id,
                ["name"] = connection.Name,
                ["status"] = status.ToString(CultureInfo.InvariantCulture),
                ["error"] = message.Length <= EventWriter.MaxDataValueLength ? message : message[..EventWriter.MaxDataValueLength],
            };
            await events.AppendAsync(connection.OrganizationId, connection.ProjectId, HubEventTypes.ConnectionHealthCheckFailed, "connection/" + connection.Id, data,
                cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>The HTTP status the audit record carries for a check that got no upstream answer.</summary>
    private static int StatusOf(HubError? error) => error?.Kind switch
    {
        null => 502,
        ErrorKind.Invalid => 400,
        ErrorKind.NotFound => 404,
        ErrorKind.Conflict => 409,
        ErrorKind.Unavailable => 503,
        _ => 500,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 8730, Level = LogLevel.Information, Message = "Connection health check: {Healthy} healthy, {Unhealthy} unhealthy, {Skipped} skipped.")]
        public static partial void Completed(ILogger logger, int healthy, int unhealthy, int skipped);

        [LoggerMessage(EventId = 8731, Level = LogLevel.Warning, Message = "Connection {OrganizationId}/{ProjectId}/{ConnectionId} failed its health check ({Status}).")]
        public static partial void Unhealthy(ILogger logger, string organizationId, string projectId, string connectionId, int status);
    }
}
