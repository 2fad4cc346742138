using System.Security.Cryptography;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Identity.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Identity;

/// <summary>
/// Access-token signing keys in the keys table. An attacker with write access to the table (the Tables SDK against
/// Azurite, as they would) adds a newer signing-key row hoping the hub signs with — and publishes — a key they know.
/// They cannot wrap under the root key, so every such row is refused: it never signs and never appears in the JWKS.
/// </summary>
public sealed class SigningKeyStorageTests
{
    private static readonly Dictionary<string, string?> Settings = new() { ["Auth:Issuer"] = "https://hub.example.com" };

    [Fact]
    public async Task Rotation_IsStoredAndSeenByASecondInstance_WhichPublishesBothKeys()
    {
        await using var hub = await StartAsync();
        var first = (await hub.Get<AccessTokenSigningKeys>().GetAsync()).Signer.Id;

        var (second, _) = await hub.Get<AccessTokenKeyLifecycle>().RotateAsync();
        await using var other = await StartAsync(hub);
        var set = await other.Get<AccessTokenSigningKeys>().GetAsync();
        var token = (await hub.Get<AccessTokenIssuer>().IssueAsync(new AccessTokenClaims("usr_a", "org_a", "owner", "ses_a"))).Token;

        Assert.Equal(second, set.Signer.Id);
        Assert.Equal([second, first], set.Accepted.Select(k => k.Id));
        Assert.True((await other.Get<AccessTokenValidator>().ValidateAsync(token)).Succeeded);
    }

    [Fact]
    public async Task NewerRowHoldingAKeyTheAttackerMade_NeverSignsAndIsNotPublished()
    {
        await using var hub = await StartAsync();
        var legit = (await hub.Get<AccessTokenSigningKeys>().GetAsync()).Signer.Id;
        var rootKeyId = (await hub.Get<IKeyRecordStore>().GetAsync(legit))!.Wrapped.RootKeyId;
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pkcs8 = attackerKey.ExportPkcs8PrivateKey();
        // Their own root key, named like the hub's; and the bare key marked as a legacy (unbound) wrap.
        using var attackerRoot = new LocalRootKeyWrapper(Options.Create(new KeyWrappingOptions { RootKey = HubServices.NewRootKey() }));
        const string Planted = "atk_plantedaaaaaaaaaaaaa";
        var wrappedByThem = await attackerRoot.WrapAsync(pkcs8, new KeyBinding(KeyPurpose.AccessTokenSigning, Planted));
        await PlantAsync(hub, Planted, wrappedByThem.Ciphertext, rootKeyId, WrappedKey.BoundFormat);
        await PlantAsync(hub, "atk_plantedbbbbbbbbbbbbb", pkcs8, rootKeyId, WrappedKey.LegacyFormat);

        await using var other = await StartAsync(hub);
        var set = await other.Get<AccessTokenSigningKeys>().GetAsync();
        var issued = await other.Get<AccessTokenIssuer>().IssueAsync(new AccessTokenClaims("usr_a", "org_a", "owner", "ses_a"));
        var forged = Forge(Planted, attackerKey);

        Assert.Equal(legit, set.Signer.Id);
        Assert.Equal(legit, issued.KeyId);
        Assert.Equal([legit], set.Accepted.Select(k => k.Id));
        Assert.DoesNotContain("atk_planted", set.JwksJson, StringComparison.Ordinal);
        Assert.Equal(AccessTokenFailure.UnknownKey, (await other.Get<AccessTokenValidator>().ValidateAsync(forged)).Failure);
    }

    [Fact]
    public async Task AnotherRecordsWrapCopiedIntoANewerSigningKeyRow_IsNotLoaded()
    {
        await using var hub = await StartAsync();
        var legit = (await hub.Get<AccessTokenSigningKeys>().GetAsync()).Signer.Id;
        var state = await hub.Get<KeyRing>().GetStateAsync();
        var kek = (await hub.Get<IKeyRecordStore>().GetAsync(state.ActiveKekId))!;
        var signing = (await hub.Get<IKeyRecordStore>().GetAsync(legit))!;

        await PlantAsync(hub, "atk_copiedkekaaaaaaaaaaa", kek.Wrapped.Ciphertext, kek.Wrapped.RootKeyId, WrappedKey.BoundFormat);
        await PlantAsync(hub, "atk_copiedsigningaaaaaaa", signing.Wrapped.Ciphertext, signing.Wrapped.RootKeyId, WrappedKey.BoundFormat);
        await using var other = await StartAsync(hub);
        var set = await other.Get<AccessTokenSigningKeys>().GetAsync();

        Assert.Equal(legit, set.Signer.Id);
        Assert.Equal([legit], set.Accepted.Select(k => k.Id));
    }

    [Fact]
    public async Task RootKeyRotation_RewrapsTheSigningKeys_WhichKeepTheirKidsAndStillVerify()
    {
        await using var before = await StartAsync();
        await before.Get<KeyRing>().InitializeAsync();
        var token = (await before.Get<AccessTokenIssuer>().IssueAsync(new AccessTokenClaims("usr_a", "org_a", "owner", "ses_a"))).Token;
        var kid = (await before.Get<AccessTokenSigningKeys>().GetAsync()).Signer.Id;
        var oldRoot = before.Get<IOptions<KeyWrappingOptions>>().Value.RootKey;
        var settings = new Dictionary<string, string?>(Settings) { ["KeyWrapping:PreviousRootKeys:0"] = oldRoot };
        await using var after = await HubServices.StartAsync(before.Prefix, HubServices.NewRootKey(), settings, s => s.AddIntegrationsAccessTokens());

        var rewrapped = await after.Get<KekLifecycle>().RewrapWithCurrentRootAsync();
        await using var onlyNewRoot = await HubServices.StartAsync(before.Prefix, after.Get<IOptions<KeyWrappingOptions>>().Value.RootKey, Settings,
            s => s.AddIntegrationsAccessTokens());
        var set = await onlyNewRoot.Get<AccessTokenSigningKeys>().GetAsync();

        Assert.Equal(4, rewrapped); // the first KEK, the audit key, the authority key and the signing key
        Assert.Equal(kid, set.Signer.Id);
        Assert.True((await onlyNewRoot.Get<AccessTokenValidator>().ValidateAsync(token)).Succeeded);
    }

    [Fact]
    public async Task DeleteExpired_OnTableStorage_RemovesTheReplacedKeyOnceItsTokensExpired_AndADeleteIsConditionalOnTheRowRead()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await using var hub = await HubServices.StartAsync(settings: Settings, configure: s => s.AddIntegrationsAccessTokens().AddSingleton<TimeProvider>(time));
        var keys = hub.Get<AccessTokenSigningKeys>();
        var lifecycle = hub.Get<AccessTokenKeyLifecycle>();
        var store = hub.Get<IKeyRecordStore>();
        var first = (await keys.GetAsync()).Signer.Id;
        var read = (await store.GetAsync(first))!;
        time.Advance(TimeSpan.FromSeconds(1));
        var (second, _) = await lifecycle.RotateAsync();

        time.Advance(keys.AcceptanceAfterReplacement - TimeSpan.FromSeconds(1));
        var early = await lifecycle.DeleteExpiredAsync(time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(1));
        var stale = await store.TryDeleteAsync(read with { ETag = "W/\"datetime'2000-01-01T00%3A00%3A00.0000000Z'\"" });
        var deleted = await lifecycle.DeleteExpiredAsync(time.GetUtcNow());

        Assert.Equal((0, WriteOutcome.Conflict, 1), (early, stale, deleted));
        Assert.Null(await store.GetAsync(first));
        Assert.Equal(WriteOutcome.NotFound, await store.TryDeleteAsync(read));
        Assert.Equal(second, (await keys.ReloadAsync()).Signer.Id);
    }

    private static Task<HubServices> StartAsync(HubServices? same = null) =>
        HubServices.StartAsync(same?.Prefix, same?.Get<IOptions<KeyWrappingOptions>>().Value.RootKey, Settings, s => s.AddIntegrationsAccessTokens());

    /// <summary>A signing-key row written straight into the keys table, newer than any the hub wrote.</summary>
    private static async Task PlantAsync(HubServices hub, string id, byte[] wrapped, string rootKeyId, int format)
    {
        var keys = new TableClient(hub.ConnectionString, hub.Prefix + "keys");
        await keys.AddEntityAsync(new TableEntity("key", id)
        {
            ["Purpose"] = nameof(KeyPurpose.AccessTokenSigning),
            ["RootKeyId"] = rootKeyId,
            ["Wrapped"] = wrapped,
            ["WrapFormat"] = format,
            ["CreatedAt"] = TimeProvider.System.GetUtcNow().AddMinutes(1),
        });
    }

    private static string Forge(string kid, ECDsa key)
    {
        static string B64(string s) => System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(s));
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var input = B64($$"""{"alg":"ES256","kid":"{{kid}}","typ":"at+jwt"}""") + "."
            + B64($$"""{"iss":"https://hub.example.com","aud":"integrations-hub","sub":"usr_a","org":"org_a","role":"owner","sid":"s","jti":"j","iat":{{now}},"exp":{{now + 600}}}""");
        return input + "." + System.Buffers.Text.Base64Url.EncodeToString(key.SignData(System.Text.Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }
}
