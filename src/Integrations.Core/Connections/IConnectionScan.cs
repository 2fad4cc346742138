namespace Integrations.Core.Connections;

/// <summary>
/// Every enabled connection across tenants, for maintenance jobs (the daily health check). Yields where each one is;
/// the job reads it through <see cref="IConnectionStore.GetAsync"/>, which verifies the row and gives its current state.
/// </summary>
public interface IConnectionScan
{
    IAsyncEnumerable<ConnectionLocation> ListEnabledAsync(CancellationToken cancellationToken = default);
}

/// <summary>Where a connection is.</summary>
public sealed record ConnectionLocation(string OrganizationId, string ProjectId, string ConnectionId);
