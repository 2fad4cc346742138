using Integrations.Core.Connections;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// What revoking a connection's tokens achieved (RFC 7009): <see cref="Result"/> says whether the provider confirmed
/// it, or why not (no revocation endpoint, the provider failed, nothing to revoke); <see cref="Detail"/> says it for a
/// person. The hub forgets the tokens either way.
/// </summary>
public sealed record RevocationOutcome(TokenRevocation Result, string Detail)
{
    public bool ProviderConfirmed => Result == TokenRevocation.Succeeded;
}
