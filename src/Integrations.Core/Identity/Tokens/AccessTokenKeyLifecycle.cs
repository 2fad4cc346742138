using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Identity.Tokens;

/// <summary>
/// Rotation of the access-token signing key, like the audit key's (<see cref="AuditKeyLifecycle"/>): a new P-256 key,
/// wrapped by the root key and bound to its purpose and id, is added and becomes the signer (the newest usable key signs;
/// other instances pick it up within <see cref="KeyWrappingOptions.ActiveKeyRefreshInterval"/>, or at once when they see a
/// token under it). Earlier keys need no step: they stay published and accepted until every token they signed has expired
/// (<see cref="AccessTokenSigningKeys"/>), then drop out of the JWKS by themselves. A rotation deletes nothing, so it cannot
/// lose a key another instance is still signing with; the session cleanup job removes, later, the rows of keys whose last
/// token has long expired (<see cref="DeleteExpiredAsync"/>).
/// </summary>
public sealed partial class AccessTokenKeyLifecycle(
    IKeyRecordStore store, IRootKeyWrapper root, AccessTokenSigningKeys keys, TimeProvider time, ILogger<AccessTokenKeyLifecycle> logger)
{
    /// <summary>Creates a new signing key and makes it the signer here. Returns its kid and the kid of the key it replaced.</summary>
    public async Task<(string NewKeyId, string PreviousKeyId)> RotateAsync(CancellationToken cancellationToken = default)
    {
        // Loads (or, on a new deployment, creates) the set first, so there is a signer to replace.
        var previous = (await keys.ReloadAsync(cancellationToken).ConfigureAwait(false)).Signer.Id;
        // The newest key signs, so the new one must be newer than every stored one even when this instance's clock runs
        // behind the one that wrote them.
        var newest = (await store.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => r.Purpose == KeyPurpose.AccessTokenSigning)
            .Select(r => r.CreatedAt)
            .DefaultIfEmpty(DateTimeOffset.MinValue)
            .Max();
        var now = time.GetUtcNow();
        var createdAt = now > newest ? now : newest.AddMilliseconds(1);
        var record = await SigningKeyRecords.CreateAsync(root, createdAt, cancellationToken).ConfigureAwait(false);
        if (await store.TryAddAsync(record, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            throw new InvalidOperationException($"Access-token signing key {record.Id} already exists.");
        }

        var set = await keys.ReloadAsync(cancellationToken).ConfigureAwait(false);
        if (!set.ById.ContainsKey(record.Id))
        {
            // A concurrent rotation's newer key may sign instead; but the new key must at least load.
            throw new InvalidOperationException($"The new access-token signing key {record.Id} does not load.");
        }

        Log.SigningKeyRotated(logger, record.Id, previous);
        return (record.Id, previous);
    }

    /// <summary>
    /// Deletes the records of signing keys whose every token expired before <paramref name="before"/>: a key whose tokens are
    /// still accepted, or the signer, stays. A key's last token expires <see cref="AccessTokenSigningKeys.AcceptanceAfterReplacement"/>
    /// after a newer usable key replaced it; the replacement time is taken from a key of today's set (the oldest accepted key
    /// newer than the record), so a record replaced only by keys that do not load (a storage writer's row, or a key the root
    /// wrapper cannot unwrap now) is never deleted. Each delete is conditional on the record read. The number removed.
    /// </summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var set = await keys.ReloadAsync(cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var record in await store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (record.Purpose != KeyPurpose.AccessTokenSigning || set.ById.ContainsKey(record.Id))
            {
                continue;
            }

            var replacedBy = set.Accepted.Where(k => k.CreatedAt > record.CreatedAt).MinBy(k => k.CreatedAt);
            if (replacedBy is null || replacedBy.CreatedAt + keys.AcceptanceAfterReplacement > before)
            {
                continue;
            }

            if (await store.TryDeleteAsync(record, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
            {
                removed++;
                Log.SigningKeyDeleted(logger, record.Id, replacedBy.Id);
            }
        }

        return removed;
    }

    // Event ids: 9623 (rotation; 9620-9629 are the signing keys') and 9980 (deletion of expired keys).
    private static partial class Log
    {
        [LoggerMessage(EventId = 9623, Level = LogLevel.Information,
            Message = "Access-token signing key {KeyId} now signs; {PreviousKeyId} stays published until the tokens it signed have expired.")]
        public static partial void SigningKeyRotated(ILogger logger, string keyId, string previousKeyId);

        [LoggerMessage(EventId = 9980, Level = LogLevel.Information,
            Message = "Access-token signing key {KeyId} deleted: every token it signed expired after {ReplacedById} replaced it.")]
        public static partial void SigningKeyDeleted(ILogger logger, string keyId, string replacedById);
    }
}
