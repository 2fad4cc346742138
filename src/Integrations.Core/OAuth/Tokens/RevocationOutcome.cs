namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// What revoking a connection's tokens achieved (RFC 7009): whether the provider confirmed it, or why not (no
/// revocation endpoint, the provider failed, nothing to revoke). The hub forgets the tokens either way.
/// </summary>
public sealed record RevocationOutcome(bool ProviderConfirmed, string Detail);
