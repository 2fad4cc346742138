namespace Integrations.Core.Connections;

/// <summary>
/// Finds a project's connections by a provider-side id they keep (<see cref="ConnectionState.ExternalIds"/>): how a
/// consent-revocation webhook naming a Slack workspace or a Stripe account reaches the connections it concerns. Never
/// crosses projects. A hint: callers read each connection again and check the id on it before acting.
/// </summary>
public interface IConnectionAccountLookup
{
    /// <summary>The ids of at most <paramref name="limit"/> connections of the project whose external id <paramref name="key"/> is <paramref name="value"/>.</summary>
    Task<IReadOnlyList<string>> FindAsync(string organizationId, string projectId, string key, string value, int limit, CancellationToken cancellationToken = default);
}
