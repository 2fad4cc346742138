using System.Collections.Concurrent;

namespace Integrations.Client.Connections;

/// <summary>
/// Access tokens per (project, connection) in this process: a token is served from memory until <c>refreshBeforeExpiry</c>
/// before its expiry, and while one request for a connection's token is in flight every other caller waits for that one
/// (single flight), so 100 concurrent callers make one request to the hub. A failed fetch is not cached: each waiter gets
/// its exception and the next call asks again. The fetch runs without any one caller's cancellation token, so a caller
/// that gives up does not fail the others; each caller's wait still honours its own token.
/// </summary>
internal sealed class AccessTokenCache(
    Func<TokenKey, CancellationToken, Task<ConnectionAccessToken>> fetch, TimeProvider timeProvider, TimeSpan refreshBeforeExpiry)
{
    private readonly ConcurrentDictionary<TokenKey, Slot> _slots = new();

    public Task<ConnectionAccessToken> GetAsync(TokenKey key, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        Task<ConnectionAccessToken> inFlight;
        lock (slot)
        {
            if (slot.Token is { ExpiresAt: { } expiresAt } token && timeProvider.GetUtcNow() < expiresAt - refreshBeforeExpiry)
            {
                return Task.FromResult(token);
            }

            inFlight = slot.InFlight ??= FetchAsync(key, slot);
        }

        return inFlight.WaitAsync(cancellationToken);
    }

    public void Invalidate(TokenKey key)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            lock (slot)
            {
                slot.Token = null;
            }
        }
    }

    private async Task<ConnectionAccessToken> FetchAsync(TokenKey key, Slot slot)
    {
        // Leave the lock before the request goes out (FetchAsync is started inside it).
        await Task.Yield();
        try
        {
            var token = await fetch(key, CancellationToken.None).ConfigureAwait(false);
            lock (slot)
            {
                // A token without expires_at is handed to the callers waiting now, never kept: nothing says how long it lives.
                slot.Token = token.ExpiresAt is null ? null : token;
                slot.InFlight = null;
            }

            return token;
        }
        catch
        {
            lock (slot)
            {
                slot.InFlight = null;
            }

            throw;
        }
    }

    private sealed class Slot
    {
        public ConnectionAccessToken? Token { get; set; }

        public Task<ConnectionAccessToken>? InFlight { get; set; }
    }
}
