using Integrations.Core.Connections.Health;

namespace Integrations.Api.Jobs;

/// <summary>Runs every enabled connection's test request (<c>Connections:HealthCheckSchedule</c>); see <see cref="ConnectionHealthCheck"/>.</summary>
public sealed class CheckConnectionHealthJob(ConnectionHealthCheck check)
{
    public Task<ConnectionHealthCheck.Outcome?> RunAsync(CancellationToken cancellationToken = default) => check.RunAsync(cancellationToken);
}
