using Integrations.Core.Common;

namespace Integrations.Core.OAuth.Flows;

/// <summary>
/// Durable storage of OAuth states (never in memory: a callback may reach another instance). The store signs every row it
/// writes and refuses (as absent, reported) a row whose MAC fails. Rows are returned even after <see cref="OAuthState.ExpiresAt"/>
/// (tables have no TTL); <see cref="OAuthStateService"/> treats an expired state as absent and the cleanup job deletes it.
/// </summary>
public interface IOAuthStateStore
{
    /// <summary>Adds the state and its start-link row; <see cref="WriteOutcome.Conflict"/> when the hash exists (never in practice).</summary>
    Task<WriteOutcome> TryCreateAsync(OAuthState state, CancellationToken cancellationToken = default);

    /// <summary>The state whose keyed hash is <paramref name="stateHash"/>, or null.</summary>
    Task<OAuthState?> GetAsync(string stateHash, CancellationToken cancellationToken = default);

    /// <summary>The state whose start link's keyed hash is <paramref name="startLinkHash"/>, or null.</summary>
    Task<OAuthState?> GetByStartLinkAsync(string startLinkHash, CancellationToken cancellationToken = default);

    /// <summary>Replaces the state if its <see cref="OAuthState.ETag"/> still matches: of two writers holding one read, exactly one wins.</summary>
    Task<WriteOutcome> TryUpdateAsync(OAuthState updated, CancellationToken cancellationToken = default);

    /// <summary>Deletes states and start links that expired before <paramref name="now"/>; returns how many states went.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
