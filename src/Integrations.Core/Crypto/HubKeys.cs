using System.Security.Cryptography;

namespace Integrations.Core.Crypto;

/// <summary>The rules and steps that the read-path <see cref="KeyRing"/> and the <see cref="KekLifecycle"/> share.</summary>
internal static class HubKeys
{
    /// <summary>
    /// True while a KEK may still wrap values: it is live, or retired less than <paramref name="gracePeriod"/> ago.
    /// Past that it is not loaded at all, so a leaked KEK stops being useful.
    /// </summary>
    public static bool InGrace(KeyRecord record, DateTimeOffset now, TimeSpan gracePeriod) =>
        record.RetiredAt is not { } retiredAt || now - retiredAt < gracePeriod;

    /// <summary>A new random 256-bit key, wrapped by the current root key; its plain bytes are zeroed before this returns.</summary>
    public static async Task<KeyRecord> CreateWrappedAsync(
        IRootKeyWrapper root, string id, KeyPurpose purpose, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var bytes = RandomNumberGenerator.GetBytes(SealedSecret.KeySize);
        try
        {
            var wrapped = await root.WrapAsync(bytes, new KeyBinding(purpose, id), cancellationToken).ConfigureAwait(false);
            return new KeyRecord(id, purpose, wrapped, createdAt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
