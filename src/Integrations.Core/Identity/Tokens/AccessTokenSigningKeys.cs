using System.Security.Cryptography;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Tokens;

/// <summary>
/// The access-token signing keys, read from the key records (<see cref="KeyPurpose.AccessTokenSigning"/>) and unwrapped
/// with the root key, held in memory as an <see cref="AccessTokenKeySet"/>.
/// <para>
/// Rules. Records are taken newest first (by <see cref="KeyRecord.CreatedAt"/>). The newest one that unwraps is the signer.
/// A key stopped signing when the next newer usable key was created; instances that had not reloaded yet may sign with it
/// for up to <see cref="KeyWrappingOptions.ActiveKeyRefreshInterval"/> more, and what it signed lives
/// <see cref="AccessTokenOptions.AccessTokenLifetime"/> (+ <see cref="AccessTokenOptions.ClockSkew"/>); after that sum it is
/// neither accepted nor published, and never unwrapped again. A record that is not bound to its purpose and id, or whose
/// wrap fails authentication (a storage writer's row, or another record's bytes copied in), is skipped and logged: it never
/// signs, is never published, and does not shorten another key's life.
/// </para>
/// <para>
/// The set is re-read every <see cref="KeyWrappingOptions.ActiveKeyRefreshInterval"/> (a rotation on another instance
/// takes effect here within it), and at most once a second when a token names a kid this instance does not hold (it may be a
/// key another instance just created). An unwrapped key is reused for at most <see cref="KeyWrappingOptions.MaxUnwrappedKeyAge"/>,
/// then unwrapped again, so a disabled Key Vault key stops signing within that bound. With no usable key (first start) one is created.
/// </para>
/// </summary>
public sealed partial class AccessTokenSigningKeys : IDisposable
{
    private static readonly TimeSpan MinimumReloadInterval = TimeSpan.FromSeconds(1);
    private readonly IKeyRecordStore _store;
    private readonly IRootKeyWrapper _root;
    private readonly TimeProvider _time;
    private readonly AccessTokenOptions _tokens;
    private readonly KeyWrappingOptions _wrapping;
    private readonly ILogger<AccessTokenSigningKeys> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Loaded? _loaded;

    public AccessTokenSigningKeys(
        IKeyRecordStore store, IRootKeyWrapper root, TimeProvider time, IOptions<AccessTokenOptions> tokens, IOptions<KeyWrappingOptions> wrapping,
        ILogger<AccessTokenSigningKeys> logger)
    {
        _store = store;
        _root = root;
        _time = time;
        _tokens = tokens.Value;
        _wrapping = wrapping.Value;
        _logger = logger;
    }

    /// <summary>How long after a key stopped signing its tokens may still arrive: refresh interval + token lifetime + clock skew.</summary>
    public TimeSpan AcceptanceAfterReplacement => _wrapping.ActiveKeyRefreshInterval + _tokens.AccessTokenLifetime + _tokens.ClockSkew;

    /// <summary>The current key set, read again first when it is stale.</summary>
    public ValueTask<AccessTokenKeySet> GetAsync(CancellationToken cancellationToken = default) =>
        TryGetFresh(out var set) ? ValueTask.FromResult(set) : new ValueTask<AccessTokenKeySet>(RefreshAsync(force: true, cancellationToken));

    /// <summary>The key set when the held one is fresh, without waiting (the validator's hot path).</summary>
    internal bool TryGetFresh(out AccessTokenKeySet set)
    {
        var loaded = _loaded;
        if (loaded is not null && _time.GetUtcNow() < loaded.Set.FreshUntil)
        {
            set = loaded.Set;
            return true;
        }

        set = null!;
        return false;
    }

    /// <summary>
    /// The key set after a token named a kid the held set does not hold: read again unless it was read less
    /// than a second ago (a flood of made-up kids costs at most one store read a second).
    /// </summary>
    internal Task<AccessTokenKeySet> RefreshForUnknownKidAsync(CancellationToken cancellationToken) => RefreshAsync(force: false, cancellationToken);

    /// <summary>Reads the records now (after a rotation on this instance, so it signs with the new key at once).</summary>
    public Task<AccessTokenKeySet> ReloadAsync(CancellationToken cancellationToken = default) => RefreshAsync(force: true, cancellationToken);

    public void Dispose()
    {
        if (_loaded is { } loaded)
        {
            foreach (var held in loaded.Held.Values)
            {
                held.Key.Dispose();
            }
        }

        _gate.Dispose();
    }

    private async Task<AccessTokenKeySet> RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        var seen = _loaded;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _loaded;
            var now = _time.GetUtcNow();
            // Single flight: a caller that waited while another reloaded uses that result (compared by reference, not by
            // time, so two reloads within one clock tick are still two reads).
            if (current is not null && now < current.Set.FreshUntil
                && (!ReferenceEquals(current, seen) || (!force && now - current.Set.ReadAt < MinimumReloadInterval)))
            {
                return current.Set;
            }

            var loaded = await LoadAsync(current, cancellationToken).ConfigureAwait(false);
            if (loaded is null)
            {
                var record = await SigningKeyRecords.CreateAsync(_root, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                await _store.TryAddAsync(record, cancellationToken).ConfigureAwait(false);
                Log.SigningKeyCreated(_logger, record.Id);
                loaded = await LoadAsync(current, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The access-token signing key just created could not be loaded.");
            }

            _loaded = loaded;
            return loaded.Set;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads and unwraps the keys still in use; null when there is no usable key at all.</summary>
    private async Task<Loaded?> LoadAsync(Loaded? current, CancellationToken cancellationToken)
    {
        var readAt = _time.GetUtcNow();
        var records = (await _store.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => r.Purpose == KeyPurpose.AccessTokenSigning)
            .OrderByDescending(r => r.CreatedAt)
            .ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .ToList();

        var window = AcceptanceAfterReplacement;
        var accepted = new List<SigningKey>();
        var held = new Dictionary<string, HeldKey>(StringComparer.Ordinal);
        var freshUntil = readAt + _wrapping.ActiveKeyRefreshInterval;
        DateTimeOffset? replacedAt = null;
        foreach (var record in records)
        {
            if (replacedAt is { } replaced && replaced + window <= readAt)
            {
                break; // This key and every older one stopped signing long enough ago that none of their tokens is alive.
            }

            var key = await UnwrapOrReuseAsync(record, current, readAt, isSigner: accepted.Count == 0, cancellationToken).ConfigureAwait(false);
            if (key is null)
            {
                continue;
            }

            accepted.Add(key.Key);
            held[record.Id] = key;
            freshUntil = Min(freshUntil, key.UnwrappedAt + _wrapping.MaxUnwrappedKeyAge);
            if (replacedAt is { } end)
            {
                freshUntil = Min(freshUntil, end + window);
            }

            replacedAt = record.CreatedAt;
        }

        if (accepted.Count == 0)
        {
            return null;
        }

        return new Loaded(new AccessTokenKeySet(accepted[0], accepted, readAt, freshUntil), held);

        static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    }

    private async Task<HeldKey?> UnwrapOrReuseAsync(KeyRecord record, Loaded? current, DateTimeOffset now, bool isSigner, CancellationToken cancellationToken)
    {
        if (record.Wrapped.Format != WrappedKey.BoundFormat)
        {
            // Signing keys were never written unbound: such a row was written by someone else.
            Log.SigningKeyRefused(_logger, record.Id);
            return null;
        }

        // Reused while young enough and while the stored wrap is the one it came from (a swapped row is unwrapped again, and fails).
        if (current is not null && current.Held.TryGetValue(record.Id, out var held)
            && now - held.UnwrappedAt < _wrapping.MaxUnwrappedKeyAge && held.Wrapped.AsSpan().SequenceEqual(record.Wrapped.Ciphertext))
        {
            return held;
        }

        byte[] pkcs8;
        try
        {
            pkcs8 = await _root.UnwrapAsync(record.Wrapped, new KeyBinding(KeyPurpose.AccessTokenSigning, record.Id), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SecretIntegrityException or CryptographicException or ArgumentException)
        {
            Log.SigningKeyRefused(_logger, record.Id);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The root wrapper is unreachable or refuses. An older key's tokens fail on their own; but a set without the
            // newest key would sign with an older one (or create yet another key), so the signer's failure is not skipped.
            Log.SigningKeyUnavailable(_logger, ex, record.Id);
            if (isSigner)
            {
                throw new KeyUnavailableException($"Access-token signing key '{record.Id}' could not be unwrapped with the root key.");
            }

            return null;
        }

        try
        {
            var key = SigningKey.FromPkcs8(record.Id, pkcs8, record.CreatedAt);
            return new HeldKey(key, now, record.Wrapped.Ciphertext);
        }
        catch (CryptographicException)
        {
            Log.SigningKeyRefused(_logger, record.Id);
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private sealed record HeldKey(SigningKey Key, DateTimeOffset UnwrappedAt, byte[] Wrapped);

    private sealed record Loaded(AccessTokenKeySet Set, IReadOnlyDictionary<string, HeldKey> Held);

    // Event ids 9620-9649 are the access tokens'; 9620-9629 the signing keys'.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9620, Level = LogLevel.Information, Message = "Access-token signing key {KeyId} created.")]
        public static partial void SigningKeyCreated(ILogger logger, string keyId);

        [LoggerMessage(EventId = 9621, Level = LogLevel.Error,
            Message = "Integrity violation: access-token signing key record {KeyId} is not bound to its purpose and id or fails authentication under the root key; it is not loaded.")]
        public static partial void SigningKeyRefused(ILogger logger, string keyId);

        [LoggerMessage(EventId = 9622, Level = LogLevel.Critical, Message = "Access-token signing key {KeyId} could not be unwrapped with the root key.")]
        public static partial void SigningKeyUnavailable(ILogger logger, Exception exception, string keyId);
    }
}
