using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using Integrations.Core.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Crypto;

/// <summary>
/// The hub's unwrapped keys, held in memory so a secret read costs no root-wrapper (Key Vault) call.
/// Keys are loaded once per instance and on demand when an unknown KEK id appears; which KEK is active is
/// re-read every <see cref="KeyWrappingOptions.ActiveKeyRefreshInterval"/>, so a rotation started on another
/// instance takes effect here within that interval. An unwrapped KEK is used for at most
/// <see cref="KeyWrappingOptions.MaxUnwrappedKeyAge"/> (then unwrapped again through the root wrapper, so a disabled Key
/// Vault key stops decryption within that bound) and a retired one no longer than its grace period: both are checked on
/// every read. On first start it creates the first KEK, audit key and
/// authority key.
/// Every wrapped key is bound to its purpose and record (<see cref="KeyBinding"/>). A ring written by the foundation
/// (unbound wraps, no authority key) is upgraded once by the first instance of this version that opens it: each record
/// re-wrapped bound, then the authority key added. From then on an unbound wrap is refused as an integrity violation.
/// This is the read path only: creating, activating and retiring KEKs and re-wrapping them under a new root key is
/// <see cref="KekLifecycle"/>'s work, which reloads the ring after each change.
/// </summary>
public sealed partial class KeyRing : IDisposable
{
    private static readonly TimeSpan MinimumReloadInterval = TimeSpan.FromSeconds(1);
    private readonly IKeyRecordStore _store;
    private readonly IRootKeyWrapper _root;
    private readonly TimeProvider _time;
    private readonly KeyWrappingOptions _options;
    private readonly ILogger<KeyRing> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private static readonly TimeSpan UnwrapRetryAfter = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, IDisposable> _everLoaded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unwrapFailedUntil = new(StringComparer.Ordinal);
    private volatile Snapshot? _snapshot;

    public KeyRing(IKeyRecordStore store, IRootKeyWrapper root, TimeProvider time, IOptions<KeyWrappingOptions> options, ILogger<KeyRing> logger)
    {
        _store = store;
        _root = root;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The KEK that wraps new data keys.</summary>
    public ValueTask<KeyEncryptionKey> GetActiveAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && _time.GetUtcNow() - snapshot.ReadAt < _options.ActiveKeyRefreshInterval
            && snapshot.Keks.TryGetValue(snapshot.Pointer.ActiveKekId, out var active) && IsFresh(snapshot, active.Id))
        {
            return ValueTask.FromResult(active);
        }

        return Slow(cancellationToken);

        async ValueTask<KeyEncryptionKey> Slow(CancellationToken ct)
        {
            var fresh = await RefreshAsync(force: true, ct).ConfigureAwait(false);
            if (_time.GetUtcNow() - fresh.ReadAt >= _options.ActiveKeyRefreshInterval)
            {
                // The refresh itself took longer than the interval (a slow root wrapper): read the state once more.
                fresh = await RefreshAsync(force: true, ct).ConfigureAwait(false);
            }

            return fresh.Keks[fresh.Pointer.ActiveKekId];
        }
    }

    /// <summary>
    /// A KEK by id (to open a value), or null when it does not exist. A retired KEK is still returned: a value found
    /// under one is a straggler the next rotation re-wraps, never a value to lose.
    /// </summary>
    public ValueTask<KeyEncryptionKey?> GetAsync(string kekId, CancellationToken cancellationToken = default)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Keks.TryGetValue(kekId, out var kek) && IsFresh(snapshot, kekId))
        {
            if (snapshot.Retired.Contains(kekId))
            {
                Log.RetiredKekUsed(_logger, kekId);
            }

            return ValueTask.FromResult<KeyEncryptionKey?>(kek);
        }

        return Slow(cancellationToken);

        async ValueTask<KeyEncryptionKey?> Slow(CancellationToken ct)
        {
            // An unknown id may be a KEK another instance just created; reload at most once a second. A KEK held too long
            // (or retired past its grace) is reloaded now: unwrapped again, or dropped.
            var stale = snapshot is not null && snapshot.Keks.ContainsKey(kekId);
            Snapshot fresh;
            try
            {
                fresh = await RefreshAsync(force: stale, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (stale && ex is not OperationCanceledException)
            {
                // The root wrapper no longer unwraps a KEK held past MaxUnwrappedKeyAge (e.g. the Key Vault key was disabled).
                Log.KekUnavailable(_logger, ex, kekId);
                throw new KeyUnavailableException($"KEK '{kekId}' could not be unwrapped again with the root key.");
            }

            return fresh.Keks.TryGetValue(kekId, out var found) && IsFresh(fresh, kekId) ? found : null;
        }
    }

    /// <summary>True when the KEK exists but could not be unwrapped recently (root wrapper unreachable or key missing).</summary>
    public bool IsUnavailable(string kekId) => _unwrapFailedUntil.ContainsKey(kekId);

    /// <summary>The audit log's HMAC key.</summary>
    public async ValueTask<AuditKey> GetAuditKeyAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = _snapshot ?? await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
        return snapshot.AuditKey;
    }

    /// <summary>
    /// An audit key by id, current or earlier (after a rotation, records and checkpoints signed under an earlier key
    /// still verify), or null when there is none. An unknown id reloads the ring at most once a second.
    /// </summary>
    public async ValueTask<AuditKey?> GetAuditKeyAsync(string auditKeyId, CancellationToken cancellationToken = default)
    {
        var snapshot = _snapshot ?? await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
        return snapshot.AuditKeys.GetValueOrDefault(auditKeyId)
            ?? (await RefreshAsync(force: false, cancellationToken).ConfigureAwait(false)).AuditKeys.GetValueOrDefault(auditKeyId);
    }

    /// <summary>Every audit key the ring holds, by id (the current one and those it replaced).</summary>
    public async ValueTask<IReadOnlyDictionary<string, AuditKey>> GetAuditKeysAsync(CancellationToken cancellationToken = default) =>
        (_snapshot ?? await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false)).AuditKeys;

    /// <summary>The key of the API-key lookup hash and of the MACs on rows that grant authority.</summary>
    public async ValueTask<AuthorityKey> GetAuthorityKeyAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = _snapshot ?? await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
        return snapshot.AuthorityKey;
    }

    /// <summary>Loads the keys (creating the first ones on a new deployment). Safe to call from many instances at once.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default) =>
        await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);

    /// <summary>The id of the active KEK as last read from the store.</summary>
    public async Task<KeyRingState> GetStateAsync(CancellationToken cancellationToken = default) =>
        (await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false)).Pointer;

    /// <summary>Re-reads the state and keys now (after the KEK lifecycle changed them), so this instance sees the change at once.</summary>
    internal async Task ReloadAsync(CancellationToken cancellationToken) =>
        await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);

    public void Dispose()
    {
        foreach (var key in _everLoaded.Values)
        {
            key.Dispose();
        }

        _gate.Dispose();
    }

    private async Task<Snapshot> RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        var requestedAt = _time.GetUtcNow();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _snapshot;
            // Single flight: a caller that waited while another refreshed uses that result.
            if (current is not null && (current.ReadAt >= requestedAt || (!force && requestedAt - current.ReadAt < MinimumReloadInterval)))
            {
                return current;
            }

            // The snapshot is as old as the moment the state was read, not the moment unwrapping finished.
            var readAt = _time.GetUtcNow();
            var state = await _store.GetStateAsync(cancellationToken).ConfigureAwait(false)
                ?? await BootstrapAsync(cancellationToken).ConfigureAwait(false);
            if (state.AuthorityKeyId is null)
            {
                state = await UpgradeAsync(state, cancellationToken).ConfigureAwait(false);
            }

            var records = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            var keks = ImmutableDictionary.CreateBuilder<string, KeyEncryptionKey>(StringComparer.Ordinal);
            var retired = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
            var auditKeys = ImmutableDictionary.CreateBuilder<string, AuditKey>(StringComparer.Ordinal);
            var lifetimes = ImmutableDictionary.CreateBuilder<string, (DateTimeOffset UnwrappedAt, DateTimeOffset UsableUntil)>(StringComparer.Ordinal);
            AuthorityKey? authorityKey = current is not null && current.AuthorityKey.Id == state.AuthorityKeyId ? current.AuthorityKey : null;
            foreach (var record in records)
            {
                if (record.Wrapped.Format != WrappedKey.BoundFormat)
                {
                    // The ring is upgraded (it names an authority key): an unbound wrap now is a record written or restored
                    // by someone else — possibly another record's wrapped bytes. Never unwrap it.
                    Log.UnboundKeyRefused(_logger, record.Id, record.Purpose);
                    continue;
                }

                if (record.Purpose == KeyPurpose.DataKeyEncryption && InGrace(record))
                {
                    // Reused only while younger than MaxUnwrappedKeyAge: after that the root wrapper must say yes again.
                    var loaded = current is not null && current.Lifetimes.TryGetValue(record.Id, out var held) && readAt - held.UnwrappedAt < _options.MaxUnwrappedKeyAge
                        ? current.Keks.GetValueOrDefault(record.Id)
                        : null;
                    if (loaded is null && record.Id != state.ActiveKekId && _unwrapFailedUntil.TryGetValue(record.Id, out var retryAt) && readAt < retryAt)
                    {
                        continue; // Failed recently: do not call the root wrapper again on every refresh.
                    }

                    try
                    {
                        keks[record.Id] = loaded ?? await UnwrapKekAsync(record, cancellationToken).ConfigureAwait(false);
                        _unwrapFailedUntil.TryRemove(record.Id, out _);
                        var unwrappedAt = loaded is null ? readAt : current!.Lifetimes[record.Id].UnwrappedAt;
                        var usableUntil = unwrappedAt + _options.MaxUnwrappedKeyAge;
                        if (record.RetiredAt + _options.RetiredKekGracePeriod is { } graceEnds && graceEnds < usableUntil)
                        {
                            usableUntil = graceEnds;
                        }

                        lifetimes[record.Id] = (unwrappedAt, usableUntil);
                    }
                    catch (Exception ex) when (record.Id != state.ActiveKekId && ex is not OperationCanceledException)
                    {
                        // One unreadable old KEK must not take down every request; values under it fail on their own.
                        Log.KekUnavailable(_logger, ex, record.Id);
                        _unwrapFailedUntil[record.Id] = readAt + UnwrapRetryAfter;
                        continue;
                    }

                    if (record.IsRetired)
                    {
                        retired.Add(record.Id);
                    }
                }
                else if (record.Purpose == KeyPurpose.AuditHmac)
                {
                    // Every audit key, not only the current one: what an earlier key signed must stay verifiable.
                    auditKeys[record.Id] = current?.AuditKeys.GetValueOrDefault(record.Id) ?? await UnwrapAuditKeyAsync(record, cancellationToken).ConfigureAwait(false);
                }
                else if (record.Id == state.AuthorityKeyId && authorityKey is null)
                {
                    authorityKey = await UnwrapAuthorityKeyAsync(record, cancellationToken).ConfigureAwait(false);
                }
            }

            var auditKey = auditKeys.GetValueOrDefault(state.AuditKeyId);

            if (!keks.ContainsKey(state.ActiveKekId) || retired.Contains(state.ActiveKekId) || auditKey is null || authorityKey is null)
            {
                throw new InvalidOperationException("The key ring names an active KEK, audit key or authority key that is missing, retired or not bound to its record.");
            }

            var snapshot = new Snapshot(keks.ToImmutable(), retired.ToImmutable(), state, auditKey, auditKeys.ToImmutable(), authorityKey, readAt, lifetimes.ToImmutable());
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool InGrace(KeyRecord record) => HubKeys.InGrace(record, _time.GetUtcNow(), _options.RetiredKekGracePeriod);

    /// <summary>True while a held KEK may be used: unwrapped less than MaxUnwrappedKeyAge ago, and live or within its grace.</summary>
    private bool IsFresh(Snapshot snapshot, string kekId) =>
        snapshot.Lifetimes.TryGetValue(kekId, out var lifetime) && _time.GetUtcNow() < lifetime.UsableUntil;

    private async Task<KeyRingState> BootstrapAsync(CancellationToken cancellationToken)
    {
        var kekId = Ids.New("kek");
        var auditKeyId = Ids.New("auk");
        var kek = await HubKeys.CreateWrappedAsync(_root, kekId, KeyPurpose.DataKeyEncryption, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.TryAddAsync(kek, cancellationToken).ConfigureAwait(false);
        var auditKey = await HubKeys.CreateWrappedAsync(_root, auditKeyId, KeyPurpose.AuditHmac, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.TryAddAsync(auditKey, cancellationToken).ConfigureAwait(false);
        var authorityKeyId = Ids.New("ahk");
        var authorityKey = await HubKeys.CreateWrappedAsync(_root, authorityKeyId, KeyPurpose.AuthorityMac, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.TryAddAsync(authorityKey, cancellationToken).ConfigureAwait(false);

        var pointer = new KeyRingState(kekId, auditKeyId, _time.GetUtcNow()) { AuthorityKeyId = authorityKeyId };
        if (await _store.TrySetStateAsync(pointer, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
        {
            Log.Bootstrapped(_logger, kekId);
            return pointer;
        }

        // Another instance initialized the ring first; its keys win and ours stay unused.
        return await _store.GetStateAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The key ring pointer vanished during initialization.");
    }

    /// <summary>
    /// First start of this version on a ring the foundation wrote: re-wraps every unbound record bound to its purpose and id,
    /// then adds the authority key and names it in the state. Idempotent and safe on many instances at once: a crash before
    /// the state names the authority key leaves the ring un-upgraded, and the next start finishes it.
    /// </summary>
    private async Task<KeyRingState> UpgradeAsync(KeyRingState state, CancellationToken cancellationToken)
    {
        var bound = 0;
        foreach (var record in await _store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (record.Wrapped.Format == WrappedKey.BoundFormat)
            {
                continue;
            }

            var binding = KeyBinding.Of(record);
            var bytes = await _root.UnwrapAsync(record.Wrapped, binding, cancellationToken).ConfigureAwait(false);
            try
            {
                var wrapped = await _root.WrapAsync(bytes, binding, cancellationToken).ConfigureAwait(false);
                // A conflict means another instance upgraded this record first.
                if (await _store.TryReplaceAsync(record with { Wrapped = wrapped }, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
                {
                    bound++;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        }

        var authorityKeyId = Ids.New("ahk");
        var authorityKey = await HubKeys.CreateWrappedAsync(_root, authorityKeyId, KeyPurpose.AuthorityMac, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.TryAddAsync(authorityKey, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            if (await _store.TrySetStateAsync(state with { AuthorityKeyId = authorityKeyId }, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
            {
                Log.Upgraded(_logger, bound, authorityKeyId);
                return (await _store.GetStateAsync(cancellationToken).ConfigureAwait(false))!;
            }

            // Another instance changed the state (perhaps it upgraded first): its authority key wins and ours stays unused.
            state = await _store.GetStateAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The key ring state vanished during the upgrade.");
            if (state.AuthorityKeyId is not null)
            {
                return state;
            }
        }
    }

    private async Task<KeyEncryptionKey> UnwrapKekAsync(KeyRecord record, CancellationToken cancellationToken)
    {
        var bytes = await _root.UnwrapAsync(record.Wrapped, KeyBinding.Of(record), cancellationToken).ConfigureAwait(false);
        try
        {
            var kek = new KeyEncryptionKey(record.Id, bytes);
            var kept = (KeyEncryptionKey)_everLoaded.GetOrAdd(record.Id, kek);
            if (!ReferenceEquals(kept, kek))
            {
                kek.Dispose(); // Loaded twice concurrently: zero the copy that lost.
            }

            return kept;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private async Task<AuthorityKey> UnwrapAuthorityKeyAsync(KeyRecord record, CancellationToken cancellationToken)
    {
        // Bound to the purpose the state gives the record, not the purpose its row claims.
        var bytes = await _root.UnwrapAsync(record.Wrapped, new KeyBinding(KeyPurpose.AuthorityMac, record.Id), cancellationToken).ConfigureAwait(false);
        try
        {
            var key = new AuthorityKey(record.Id, bytes);
            var kept = (AuthorityKey)_everLoaded.GetOrAdd(record.Id, key);
            if (!ReferenceEquals(kept, key))
            {
                key.Dispose();
            }

            return kept;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private async Task<AuditKey> UnwrapAuditKeyAsync(KeyRecord record, CancellationToken cancellationToken)
    {
        var bytes = await _root.UnwrapAsync(record.Wrapped, new KeyBinding(KeyPurpose.AuditHmac, record.Id), cancellationToken).ConfigureAwait(false);
        try
        {
            var key = new AuditKey(record.Id, bytes);
            var kept = (AuditKey)_everLoaded.GetOrAdd(record.Id, key);
            if (!ReferenceEquals(kept, key))
            {
                key.Dispose();
            }

            return kept;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private sealed record Snapshot(
        ImmutableDictionary<string, KeyEncryptionKey> Keks, ImmutableHashSet<string> Retired, KeyRingState Pointer, AuditKey AuditKey,
        ImmutableDictionary<string, AuditKey> AuditKeys, AuthorityKey AuthorityKey, DateTimeOffset ReadAt,
        ImmutableDictionary<string, (DateTimeOffset UnwrappedAt, DateTimeOffset UsableUntil)> Lifetimes);

    // Event ids 1001-1099 are the key ring's; the KEK lifecycle (KekLifecycle) uses 1002-1005 of them.
    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Key ring initialized with KEK {KekId}.")]
        public static partial void Bootstrapped(ILogger logger, string kekId);

        [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "A value is still wrapped by retired KEK {KekId}; it opens, and the next rotation re-wraps it.")]
        public static partial void RetiredKekUsed(ILogger logger, string kekId);

        [LoggerMessage(EventId = 1007, Level = LogLevel.Critical, Message = "KEK {KekId} could not be unwrapped with the root key; values under it cannot be opened.")]
        public static partial void KekUnavailable(ILogger logger, Exception exception, string kekId);

        [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Key ring upgraded: {Count} key records bound to their purpose and id; authority key {AuthorityKeyId} added.")]
        public static partial void Upgraded(ILogger logger, int count, string authorityKeyId);

        [LoggerMessage(EventId = 1009, Level = LogLevel.Error, Message = "Integrity violation: key record {RecordId} ({Purpose}) is not bound to its purpose and id in a ring that has been upgraded; it is not loaded.")]
        public static partial void UnboundKeyRefused(ILogger logger, string recordId, KeyPurpose purpose);
    }
}
