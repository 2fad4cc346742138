using System.Text.Json.Nodes;
using Integrations.Core.Crypto;
using Integrations.Core.Identity.Tokens;
using static Integrations.Core.Tests.Identity.Tokens.TokenInstance;

namespace Integrations.Core.Tests.Identity.Tokens;

/// <summary>
/// Rotation: the new key signs at once; the old one stays published and accepted until every token it signed has expired
/// (refresh interval 30 s + lifetime 2 h + skew 30 s after it was replaced), then leaves the JWKS.
/// </summary>
public sealed class AccessTokenKeyRotationTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30) + TimeSpan.FromHours(2) + TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Rotate_NewTokensCarryTheNewKid_AndTheOldTokenStillValidatesUntilItExpires()
    {
        using var hub = new TokenInstance();
        var old = await hub.IssueAsync();
        hub.Time.Advance(TimeSpan.FromMinutes(10));

        var (newKid, previousKid) = await hub.Lifecycle.RotateAsync();
        var fresh = await hub.IssueAsync();
        hub.Time.Advance(TimeSpan.FromMinutes(109)); // 1 s before the old token's exp.
        var oldNearExpiry = await hub.Validator.ValidateAsync(old.Token);

        Assert.Equal(old.KeyId, previousKid);
        Assert.Equal(newKid, fresh.KeyId);
        Assert.NotEqual(old.KeyId, fresh.KeyId);
        Assert.True(oldNearExpiry.Succeeded, oldNearExpiry.Failure.ToString());
        Assert.True((await hub.Validator.ValidateAsync(fresh.Token)).Succeeded);
    }

    [Fact]
    public async Task Rotate_JwksListsBothKeys_ThenDropsTheOldOneOnceItsTokensHaveExpired()
    {
        using var hub = new TokenInstance();
        var oldKid = (await hub.IssueAsync()).KeyId;
        hub.Time.Advance(TimeSpan.FromSeconds(1));
        var (newKid, _) = await hub.Lifecycle.RotateAsync();

        var both = Kids((await hub.Keys.GetAsync()).JwksJson);
        hub.Time.Advance(Window - TimeSpan.FromSeconds(1));
        var stillBoth = Kids((await hub.Keys.GetAsync()).JwksJson);
        hub.Time.Advance(TimeSpan.FromSeconds(1));
        var after = Kids((await hub.Keys.GetAsync()).JwksJson);

        Assert.Equal([newKid, oldKid], both);
        Assert.Equal([newKid, oldKid], stillBoth);
        Assert.Equal([newKid], after);
    }

    [Fact]
    public async Task Rotate_OnAnotherInstance_TokensUnderTheNewKidValidateHereAtOnce()
    {
        using var first = new TokenInstance();
        using var second = first.Sibling();
        await second.IssueAsync(); // The second instance holds the set before the rotation.

        await first.Lifecycle.RotateAsync();
        first.Time.Advance(TimeSpan.FromSeconds(2));
        var token = (await first.IssueAsync()).Token;
        var result = await second.Validator.ValidateAsync(token);

        Assert.True(result.Succeeded, result.Failure.ToString());
    }

    [Fact]
    public async Task Rotate_AnotherInstanceSignsWithTheNewKeyWithinTheRefreshInterval()
    {
        using var first = new TokenInstance();
        using var second = first.Sibling();
        var before = (await second.IssueAsync()).KeyId;

        var (newKid, _) = await first.Lifecycle.RotateAsync();
        first.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(newKid, (await second.IssueAsync()).KeyId);
        Assert.NotEqual(before, newKid);
    }

    [Fact]
    public async Task Rotate_OnAnInstanceWhoseClockRunsBehind_TheNewKeyStillSigns()
    {
        using var ahead = new TokenInstance();
        var first = (await ahead.IssueAsync()).KeyId;
        using var behind = ahead.Sibling(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start.AddMinutes(-5)));

        var (newKid, previousKid) = await behind.Lifecycle.RotateAsync();

        Assert.Equal(first, previousKid);
        Assert.Equal(newKid, (await behind.IssueAsync()).KeyId);
        Assert.Equal(newKid, (await ahead.Keys.ReloadAsync()).Signer.Id);
    }

    [Fact]
    public async Task Keys_OnANewDeployment_OneKeyIsCreatedAndWrappedBoundToItsPurpose()
    {
        using var hub = new TokenInstance();

        var set = await hub.Keys.GetAsync();

        var record = Assert.Single(await hub.Store.ListAsync());
        Assert.Equal(set.Signer.Id, record.Id);
        Assert.Equal(KeyPurpose.AccessTokenSigning, record.Purpose);
        Assert.Equal(WrappedKey.BoundFormat, record.Wrapped.Format);
        Assert.StartsWith("atk_", record.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwks_HoldsPublicEcMembersOnly()
    {
        using var hub = new TokenInstance();

        var key = Assert.Single(JsonNode.Parse((await hub.Keys.GetAsync()).JwksJson)!["keys"]!.AsArray())!.AsObject();

        Assert.Equal(["kty", "crv", "x", "y", "kid", "use", "alg"], key.Select(m => m.Key));
        Assert.Equal(("EC", "P-256", "sig", "ES256"), ((string?)key["kty"], (string?)key["crv"], (string?)key["use"], (string?)key["alg"]));
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars((string)key["x"]!).Length);
    }

    [Fact]
    public async Task Keys_ARowWrappedUnderAnotherRootKey_NeverSigns()
    {
        using var hub = new TokenInstance();
        var legit = (await hub.IssueAsync()).KeyId;
        hub.Time.Advance(TimeSpan.FromMinutes(1));
        // A storage writer adds a newer signing-key row holding a key they made, wrapped under a root key of their own
        // (they cannot use the hub's), and names the hub's root key id on it.
        using var attacker = new TokenInstance(time: hub.Time);
        var planted = await PlantForeignSigningKeyAsync(hub, attacker, legit);
        hub.Time.Advance(TimeSpan.FromSeconds(31));

        using var fresh = hub.Sibling();
        var signer = (await fresh.Keys.GetAsync()).Signer.Id;
        var forged = (await attacker.IssueAsync()).Token;

        Assert.Equal(legit, signer);
        Assert.DoesNotContain(planted, (await fresh.Keys.GetAsync()).JwksJson, StringComparison.Ordinal);
        Assert.Equal(AccessTokenFailure.UnknownKey, await fresh.RefusalOf(forged));
    }

    [Fact]
    public async Task DeleteExpired_RemovesAKeyOnceItsLastTokenExpiredBeforeTheCutoff_NeverTheSignerOrAKeyStillAccepted()
    {
        using var hub = new TokenInstance();
        var first = (await hub.IssueAsync()).KeyId;
        hub.Time.Advance(TimeSpan.FromSeconds(1));
        var (second, _) = await hub.Lifecycle.RotateAsync();
        hub.Time.Advance(Window); // every token of the first key has now expired
        var secondsToken = await hub.IssueAsync();
        var (third, _) = await hub.Lifecycle.RotateAsync();

        var tooEarly = await hub.Lifecycle.DeleteExpiredAsync(hub.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        var deleted = await hub.Lifecycle.DeleteExpiredAsync(hub.Time.GetUtcNow());
        var again = await hub.Lifecycle.DeleteExpiredAsync(hub.Time.GetUtcNow() + TimeSpan.FromDays(365));

        Assert.Equal((0, 1, 0), (tooEarly, deleted, again));
        Assert.Null(await hub.Store.GetAsync(first));
        Assert.NotNull(await hub.Store.GetAsync(second)); // replaced just now: its tokens live on
        Assert.NotNull(await hub.Store.GetAsync(third));
        Assert.True((await hub.Validator.ValidateAsync(secondsToken.Token)).Succeeded);
        Assert.Equal(third, (await hub.IssueAsync()).KeyId);
    }

    [Fact]
    public async Task DeleteExpired_ANewerRowThatDoesNotLoad_NeverGetsTheSignerDeleted()
    {
        using var hub = new TokenInstance();
        var legit = (await hub.IssueAsync()).KeyId;
        hub.Time.Advance(TimeSpan.FromMinutes(1));
        // A storage writer's newer row (a key wrapped under their own root key, naming the hub's): were it taken as the replacement, the
        // hub's only usable key would be deleted once the window passed.
        using var attacker = new TokenInstance(time: hub.Time);
        await PlantForeignSigningKeyAsync(hub, attacker, legit);
        hub.Time.Advance(Window + TimeSpan.FromDays(2));

        var deleted = await hub.Lifecycle.DeleteExpiredAsync(hub.Time.GetUtcNow());

        Assert.Equal(0, deleted);
        Assert.NotNull(await hub.Store.GetAsync(legit));
        Assert.Equal(legit, (await hub.IssueAsync()).KeyId);
    }

    private static List<string> Kids(string jwks) =>
        [.. JsonNode.Parse(jwks)!["keys"]!.AsArray().Select(k => (string)k!["kid"]!)];

    /// <summary>
    /// What a storage writer can do: add to <paramref name="hub"/>'s store a newer signing-key row holding a key of
    /// <paramref name="attacker"/>'s, wrapped under the attacker's own root key but naming the hub's (that of <paramref name="legit"/>).
    /// The planted key's id.
    /// </summary>
    private static async Task<string> PlantForeignSigningKeyAsync(TokenInstance hub, TokenInstance attacker, string legit)
    {
        var planted = (await attacker.Keys.GetAsync()).Signer.Id;
        var row = (await attacker.Store.GetAsync(planted))!;
        var hubRoot = (await hub.Store.GetAsync(legit))!.Wrapped.RootKeyId;
        hub.Store.Put(row with { Wrapped = row.Wrapped with { RootKeyId = hubRoot }, CreatedAt = hub.Time.GetUtcNow() });
        return planted;
    }
}
