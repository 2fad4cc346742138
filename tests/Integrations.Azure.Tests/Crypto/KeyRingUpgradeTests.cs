using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Crypto;
using Integrations.Testing;

namespace Integrations.Azure.Tests.Crypto;

/// <summary>
/// A ring the foundation wrote (unbound wraps under the fixed label <c>ih/root/local/v1</c>, no authority key) is upgraded
/// by the first instance of this version that opens it; after that an unbound wrap is refused.
/// </summary>
public sealed class KeyRingUpgradeTests
{
    private const string KekId = "kek_ffffffffffffffffffff";
    private const string AuditKeyId = "auk_ffffffffffffffffffff";

    [Fact]
    public async Task FoundationRing_FirstStart_BindsEveryRecordAndAddsTheAuthorityKey_KeepingTheKeys()
    {
        var rootKey = HubServices.NewRootKey();
        var prefix = AzuriteInstance.NewPrefix();
        var kekBytes = RandomNumberGenerator.GetBytes(32);
        var context = new SealContext("org_a", "prj_a", "sec_a", 1);
        using var foundationKek = new KeyEncryptionKey(KekId, kekBytes);
        var sealedBefore = EnvelopeCipher.Seal("value"u8, context, foundationKek);
        await using (var storage = await HubServices.StartAsync(prefix, rootKey))
        {
            await WriteFoundationRingAsync(storage, rootKey, kekBytes);
        }

        await using var hub = await HubServices.StartAsync(prefix, rootKey);
        var state = await hub.Get<KeyRing>().GetStateAsync();
        var records = await hub.Get<IKeyRecordStore>().ListAsync();
        var kek = await hub.Get<KeyRing>().GetActiveAsync();

        Assert.NotNull(state.AuthorityKeyId);
        Assert.All(records, r => Assert.Equal(WrappedKey.BoundFormat, r.Wrapped.Format));
        Assert.Equal(KekId, kek.Id);
        Assert.Equal("value"u8.ToArray(), EnvelopeCipher.Open(sealedBefore, context, kek));
    }

    [Fact]
    public async Task FoundationWrapRestoredAfterTheUpgrade_IsNotLoaded()
    {
        var rootKey = HubServices.NewRootKey();
        var prefix = AzuriteInstance.NewPrefix();
        await using (var storage = await HubServices.StartAsync(prefix, rootKey))
        {
            await WriteFoundationRingAsync(storage, rootKey, RandomNumberGenerator.GetBytes(32));
        }

        await using (var first = await HubServices.StartAsync(prefix, rootKey))
        {
            await first.Get<KeyRing>().InitializeAsync();
            const string Other = "kek_gggggggggggggggggggg";
            await first.Get<KekLifecycle>().EnsureKekAsync(Other);

            // The attacker kept the foundation's unbound wrap of the audit key and puts it into another KEK's record.
            var keys = new TableClient(first.ConnectionString, prefix + "keys");
            await keys.UpdateEntityAsync(new TableEntity("key", Other)
            {
                ["Wrapped"] = LegacyWrap(rootKey, RandomNumberGenerator.GetBytes(32)),
                ["RootKeyId"] = (await first.Get<IRootKeyWrapper>().GetCurrentKeyIdAsync()),
                ["WrapFormat"] = WrappedKey.LegacyFormat,
            }, ETag.All, TableUpdateMode.Merge);
        }

        await using var hub = await HubServices.StartAsync(prefix, rootKey);
        await hub.Get<KeyRing>().InitializeAsync();

        Assert.Null(await hub.Get<KeyRing>().GetAsync("kek_gggggggggggggggggggg"));
    }

    /// <summary>The records and state the foundation's key ring wrote: no WrapFormat, no authority key.</summary>
    private static async Task WriteFoundationRingAsync(HubServices storage, string rootKey, byte[] kekBytes)
    {
        var keys = new TableClient(storage.ConnectionString, storage.Prefix + "keys");
        var rootKeyId = await storage.Get<IRootKeyWrapper>().GetCurrentKeyIdAsync();
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await keys.AddEntityAsync(new TableEntity("key", KekId)
        {
            ["Purpose"] = "DataKeyEncryption", ["RootKeyId"] = rootKeyId, ["Wrapped"] = LegacyWrap(rootKey, kekBytes), ["CreatedAt"] = created,
        });
        await keys.AddEntityAsync(new TableEntity("key", AuditKeyId)
        {
            ["Purpose"] = "AuditHmac", ["RootKeyId"] = rootKeyId, ["Wrapped"] = LegacyWrap(rootKey, RandomNumberGenerator.GetBytes(32)), ["CreatedAt"] = created,
        });
        await keys.AddEntityAsync(new TableEntity("ring", "state") { ["ActiveKekId"] = KekId, ["AuditKeyId"] = AuditKeyId, ["ActivatedAt"] = created });
    }

    // The foundation's local wrap: nonce | ciphertext | tag, AES-256-GCM under the root key, associated data "ih/root/local/v1".
    private static byte[] LegacyWrap(string rootKey, byte[] key)
    {
        var output = new byte[12 + key.Length + 16];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(Convert.FromBase64String(rootKey), 16);
        aes.Encrypt(output.AsSpan(0, 12), key, output.AsSpan(12, key.Length), output.AsSpan(12 + key.Length), Encoding.ASCII.GetBytes("ih/root/local/v1"));
        return output;
    }
}
