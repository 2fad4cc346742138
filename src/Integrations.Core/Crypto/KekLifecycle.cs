using System.Security.Cryptography;
using Integrations.Core.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Crypto;

/// <summary>
/// The lifecycle of key-encryption keys: create, activate, retire, and re-wrap every key record under the current
/// root key. Each step is idempotent, so a key rotation killed at any point resumes by running again; after each
/// change the local <see cref="KeyRing"/> is reloaded (other instances see it within
/// <see cref="KeyWrappingOptions.ActiveKeyRefreshInterval"/>). Reading keys is the ring's work, not this class's.
/// </summary>
public sealed partial class KekLifecycle(
    IKeyRecordStore store, IRootKeyWrapper root, KeyRing ring, TimeProvider time, IOptions<KeyWrappingOptions> options, ILogger<KekLifecycle> logger)
{
    /// <summary>Creates KEK <paramref name="kekId"/> if it does not exist yet (idempotent, for resumable rotations).</summary>
    public async Task EnsureKekAsync(string kekId, CancellationToken cancellationToken = default)
    {
        if (await store.GetAsync(kekId, cancellationToken).ConfigureAwait(false) is null)
        {
            var record = await HubKeys.CreateWrappedAsync(root, kekId, KeyPurpose.DataKeyEncryption, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (await store.TryAddAsync(record, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
            {
                Log.KekCreated(logger, kekId);
            }
        }

        await ring.ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes <paramref name="kekId"/> the KEK for new data keys (idempotent).</summary>
    public async Task ActivateAsync(string kekId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var pointer = await store.GetStateAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The key ring is not initialized.");
            if (pointer.ActiveKekId == kekId)
            {
                break;
            }

            var next = pointer with { ActiveKekId = kekId, ActivatedAt = time.GetUtcNow() };
            if (await store.TrySetStateAsync(next, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
            {
                Log.KekActivated(logger, kekId);
                break;
            }
        }

        await ring.ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks a KEK retired: no value should be wrapped by it any more, and it never becomes active again.</summary>
    public async Task RetireAsync(string kekId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var record = await store.GetAsync(kekId, cancellationToken).ConfigureAwait(false);
            if (record is null || record.IsRetired)
            {
                break;
            }

            if (await store.TryReplaceAsync(record with { RetiredAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
            {
                Log.KekRetired(logger, kekId);
                break;
            }
        }

        await ring.ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ids of the KEKs that may still wrap values: live ones, and retired ones within their grace period.</summary>
    public async Task<IReadOnlyList<string>> ListKekIdsAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return (await store.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => r.Purpose == KeyPurpose.DataKeyEncryption && HubKeys.InGrace(r, now, options.Value.RetiredKekGracePeriod))
            .Select(r => r.Id)
            .ToList();
    }

    /// <summary>
    /// Re-wraps every key record with the current root key (after a new Key Vault key version or a new local
    /// root key). Data keys are untouched. Returns how many records were re-wrapped.
    /// </summary>
    public async Task<int> RewrapWithCurrentRootAsync(CancellationToken cancellationToken = default)
    {
        var count = 0;
        var current = await root.GetCurrentKeyIdAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in await store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (record.Wrapped.RootKeyId == current)
            {
                continue;
            }

            if (record.Wrapped.Format != WrappedKey.BoundFormat)
            {
                // Re-wrapping would bind whatever bytes the record holds to it: an unbound record in an upgraded ring may be
                // another record's key (see KeyRing). Refuse rather than launder it.
                throw new SecretIntegrityException($"Key record '{record.Id}' is not bound to its purpose and id; it is not re-wrapped.");
            }

            var binding = KeyBinding.Of(record);
            var key = await root.UnwrapAsync(record.Wrapped, binding, cancellationToken).ConfigureAwait(false);
            try
            {
                var wrapped = await root.WrapAsync(key, binding, cancellationToken).ConfigureAwait(false);
                if (await store.TryReplaceAsync(record with { Wrapped = wrapped }, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
                {
                    count++;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }

        // Verify: every record must now name the current root key; otherwise the rotation stays in progress.
        current = await root.GetCurrentKeyIdAsync(cancellationToken).ConfigureAwait(false);
        var left = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).Count(r => r.Wrapped.RootKeyId != current);
        if (left > 0)
        {
            throw new InvalidOperationException($"{left} key records are still wrapped by an earlier root key; run the root rotation again.");
        }

        Log.RootRewrapped(logger, count);
        return count;
    }

    // Event ids stay those these events had when the key ring wrote them (1001-1099 are the key ring's range).
    private static partial class Log
    {
        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "KEK {KekId} created.")]
        public static partial void KekCreated(ILogger logger, string kekId);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "KEK {KekId} is now active.")]
        public static partial void KekActivated(ILogger logger, string kekId);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "KEK {KekId} retired.")]
        public static partial void KekRetired(ILogger logger, string kekId);

        [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Re-wrapped {Count} key records with the current root key.")]
        public static partial void RootRewrapped(ILogger logger, int count);
    }
}
