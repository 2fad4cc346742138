namespace Integrations.Core.Identity.Users;

/// <summary>Refresh tokens by lookup hash (one partition each): the point read that starts a refresh.</summary>
public interface IRefreshTokenStore
{
    Task AddAsync(RefreshTokenRecord record, CancellationToken cancellationToken = default);

    /// <summary>The token's record if its row exists and verifies, else null.</summary>
    Task<RefreshTokenRecord?> FindAsync(string lookupHash, CancellationToken cancellationToken = default);

    /// <summary>Removes a token row (one that lost a rotation race and was never handed out). Gone already is fine.</summary>
    Task DeleteAsync(string lookupHash, CancellationToken cancellationToken = default);

    /// <summary>Removes every refresh-token row of the user (account deletion). The number removed.</summary>
    Task<int> DeleteForUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Removes every refresh-token row issued before <paramref name="issuedBefore"/> (the cleanup job). The number removed.</summary>
    Task<int> DeleteIssuedBeforeAsync(DateTimeOffset issuedBefore, CancellationToken cancellationToken = default);
}
