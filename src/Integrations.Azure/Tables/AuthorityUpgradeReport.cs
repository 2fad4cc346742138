namespace Integrations.Azure.Tables;

/// <summary>What <see cref="AuthorityRowUpgrade"/> did.</summary>
/// <param name="ApiKeys">The API keys brought over (<c>org/key id</c>).</param>
/// <param name="Projects">How many project rows were MAC'd.</param>
/// <param name="Refused">API keys not brought over, and why; they stay refused.</param>
/// <param name="AlreadyUpgradedAt">When the upgrade ran to completion before; then this run changed nothing.</param>
public sealed record AuthorityUpgradeReport(IReadOnlyList<string> ApiKeys, int Projects, IReadOnlyList<string> Refused, DateTimeOffset? AlreadyUpgradedAt = null);
