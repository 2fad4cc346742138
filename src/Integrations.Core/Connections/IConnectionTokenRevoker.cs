namespace Integrations.Core.Connections;

/// <summary>What became of a connection's tokens when it was deleted or revoked.</summary>
public enum TokenRevocation
{
    /// <summary>Nothing to revoke: a static type, or no token was ever obtained.</summary>
    NotApplicable,

    /// <summary>The provider confirmed (RFC 7009 §2.2: 200) and the stored tokens were removed.</summary>
    Succeeded,

    /// <summary>The provider has no revocation endpoint; the stored tokens were removed.</summary>
    Unsupported,

    /// <summary>The provider's revocation endpoint failed; the stored tokens were removed anyway.</summary>
    Failed,
}

/// <summary>
/// The seam a connection's deletion calls before its configuration goes: revokes its tokens at the provider
/// (RFC 7009, with <c>token_type_hint</c>) and removes them from the vault. The default registration
/// (<see cref="NoTokenRevoker"/>) has nothing to revoke; the token-lifecycle part replaces it
/// (<c>services.Replace(…)</c>, as Core registers the default first).
/// </summary>
public interface IConnectionTokenRevoker
{
    Task<TokenRevocation> RevokeAsync(Connection connection, CancellationToken cancellationToken = default);
}

/// <summary>The default <see cref="IConnectionTokenRevoker"/>: connections hold no tokens until the OAuth parts store some.</summary>
public sealed class NoTokenRevoker : IConnectionTokenRevoker
{
    public Task<TokenRevocation> RevokeAsync(Connection connection, CancellationToken cancellationToken = default) => Task.FromResult(TokenRevocation.NotApplicable);
}
