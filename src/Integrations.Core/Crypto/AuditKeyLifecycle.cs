using Integrations.Core.Common;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Crypto;

/// <summary>
/// Rotation of the audit HMAC key: a new key (wrapped by the root, like a KEK) becomes the one that signs new chain
/// links, chain states and checkpoints. Earlier audit keys are never retired or deleted: every record, state and
/// checkpoint names the key that signed it, and the <see cref="KeyRing"/> loads them all, so what an earlier key
/// signed still verifies. Other instances pick the new key up when they next reload the ring (the sealer reloads
/// at the start of each run).
/// </summary>
public sealed partial class AuditKeyLifecycle(IKeyRecordStore store, IRootKeyWrapper root, KeyRing ring, TimeProvider time, ILogger<AuditKeyLifecycle> logger)
{
    /// <summary>Creates a new audit key and makes it current. Returns its id and the id of the key it replaced.</summary>
    public async Task<(string NewKeyId, string PreviousKeyId)> RotateAsync(CancellationToken cancellationToken = default)
    {
        // Loads (or, on a new deployment, creates) the ring first, so there is a current key to replace.
        await ring.GetStateAsync(cancellationToken).ConfigureAwait(false);
        var keyId = Ids.New("auk");
        var record = await HubKeys.CreateWrappedAsync(root, keyId, KeyPurpose.AuditHmac, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (await store.TryAddAsync(record, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            throw new InvalidOperationException($"Audit key {keyId} already exists.");
        }

        while (true)
        {
            var pointer = await store.GetStateAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The key ring is not initialized.");
            if (await store.TrySetStateAsync(pointer with { AuditKeyId = keyId }, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
            {
                Log.AuditKeyRotated(logger, keyId, pointer.AuditKeyId);
                await ring.ReloadAsync(cancellationToken).ConfigureAwait(false);
                return (keyId, pointer.AuditKeyId);
            }
        }
    }

    // 1001-1099 are the key ring's event ids; 1050-1059 are the audit key's.
    private static partial class Log
    {
        [LoggerMessage(EventId = 1050, Level = LogLevel.Information, Message = "Audit key {AuditKeyId} is now current; {PreviousAuditKeyId} is kept to verify what it signed.")]
        public static partial void AuditKeyRotated(ILogger logger, string auditKeyId, string previousAuditKeyId);
    }
}
