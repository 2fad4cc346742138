using System.Collections.Concurrent;
using System.Security.Cryptography;
using Integrations.Core.Integrity;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity;

/// <summary>
/// Turns a bearer credential into a <see cref="Caller"/>. API keys are looked up by their keyed lookup hash
/// (<see cref="AuthorityRows.LookupHashAsync"/>; the store refuses a row whose MAC fails, so it reads as unknown) and kept for
/// <see cref="HubOptions.ApiKeyCacheDuration"/> so the hot path costs no extra storage read; a key revoked on
/// this instance is forgotten at once. Malformed keys (bad prefix or checksum) are refused without a lookup, and
/// well-formed keys that do not exist are remembered for <see cref="HubOptions.UnknownKeyCacheDuration"/>.
/// A lookup that read a key's row before the key was revoked here and returns after (<see cref="Forget"/>) cannot put it
/// back in the cache: every revocation gets a number from a counter, and a lookup that began before the key's number
/// takes its entry out again and answers <see cref="AuthenticationFailure.Revoked"/>.
/// </summary>
public sealed class CallerAuthenticator(IApiKeyStore store, AuthorityRows authority, TimeProvider time, IOptions<HubOptions> options)
{
    private const int MaxCachedKeys = 10_000;
    private readonly byte[] _adminKeyHash = ApiKeyToken.Digest(options.Value.AdminKey);
    private readonly ConcurrentDictionary<string, (ApiKey Key, Caller Caller, DateTimeOffset CachedAt)> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unknown = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _revokedAtEpoch = new(StringComparer.Ordinal);
    private long _epoch;
    private long _revokedClearedAtEpoch;

    public ValueTask<AuthenticationResult> AuthenticateAsync(string? credential, CancellationToken cancellationToken = default) =>
        AuthenticateAsync(credential, allowStorageLookup: true, cancellationToken);

    /// <param name="allowStorageLookup">
    /// False while the caller's address is being throttled: only keys this instance has held are looked up (again); any
    /// other key is reported unknown without a storage read.
    /// </param>
    public async ValueTask<AuthenticationResult> AuthenticateAsync(string? credential, bool allowStorageLookup, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(credential))
        {
            return new(null, AuthenticationFailure.Missing);
        }

        // Compare hashes in fixed time so the admin key does not leak through timing. The same digest feeds the key's lookup hash.
        var digest = ApiKeyToken.Digest(credential);
        if (CryptographicOperations.FixedTimeEquals(digest, _adminKeyHash))
        {
            return new(Caller.PlatformAdmin, null);
        }

        if (!ApiKeyToken.IsWellFormed(credential))
        {
            return new(null, AuthenticationFailure.Malformed);
        }

        var hash = await authority.LookupHashAsync(digest, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        ApiKey? key;
        Caller? caller = null;
        if (_cache.TryGetValue(hash, out var cached) && now - cached.CachedAt < options.Value.ApiKeyCacheDuration)
        {
            (key, caller) = (cached.Key, cached.Caller);
        }
        // A throttled address may still refresh a key this instance has held (an attacker cannot produce the hash of a
        // valid key it does not have), so a flood from a shared address never locks out the valid keys behind it.
        else if ((!allowStorageLookup && !_cache.ContainsKey(hash))
            || (_unknown.TryGetValue(hash, out var missedAt) && now - missedAt < options.Value.UnknownKeyCacheDuration))
        {
            key = null;
        }
        else
        {
            var lookupEpoch = Interlocked.Read(ref _epoch);
            key = await store.FindByHashAsync(hash, cancellationToken).ConfigureAwait(false);
            if (key is not null)
            {
                if (_cache.Count >= MaxCachedKeys)
                {
                    _cache.Clear();
                }

                // The caller (and its scope set) is built once per lookup, not once per request.
                caller = new Caller(CallerKind.ApiKey, key.Id, key.OrganizationId, key.Scopes.ToHashSet(StringComparer.Ordinal));
                var entry = (key, caller, now);
                _cache[hash] = entry;
                // Cache first, then check (Forget records first, then evicts): whichever order the two run in, a row read
                // before a revocation on this instance does not stay cached after it.
                Interlocked.MemoryBarrier();
                var revokedMeanwhile = _revokedAtEpoch.TryGetValue(hash, out var revokedAt) && revokedAt > lookupEpoch;
                if (revokedMeanwhile || Interlocked.Read(ref _revokedClearedAtEpoch) > lookupEpoch)
                {
                    _cache.TryRemove(KeyValuePair.Create(hash, entry));
                }

                if (revokedMeanwhile)
                {
                    return new(null, AuthenticationFailure.Revoked);
                }
            }
            else
            {
                if (_unknown.Count >= MaxCachedKeys)
                {
                    _unknown.Clear();
                }

                _unknown[hash] = now;
            }
        }

        if (key is null)
        {
            return new(null, AuthenticationFailure.Unknown);
        }

        if (key.RevokedAt is not null)
        {
            return new(null, AuthenticationFailure.Revoked);
        }

        if (!key.IsUsableAt(now))
        {
            return new(null, AuthenticationFailure.Expired);
        }

        return new(caller ?? new Caller(CallerKind.ApiKey, key.Id, key.OrganizationId, key.Scopes.ToHashSet(StringComparer.Ordinal)), null);
    }

    /// <summary>
    /// Drops a cached key after its lookup row was revoked or removed on this instance, and makes any lookup of it still in
    /// flight answer revoked instead of caching what it read. Call it after the store write, never before.
    /// </summary>
    public void Forget(string hash)
    {
        var epoch = Interlocked.Increment(ref _epoch);
        if (_revokedAtEpoch.Count >= MaxCachedKeys)
        {
            // Bounded: lookups that began before this clear cache nothing (they may have lost their key's record).
            Interlocked.Exchange(ref _revokedClearedAtEpoch, epoch);
            _revokedAtEpoch.Clear();
        }

        _revokedAtEpoch[hash] = epoch;
        Interlocked.MemoryBarrier();
        _cache.TryRemove(hash, out _);
    }
}
