using System.Security.Cryptography;
using Integrations.Core.Common;
using Integrations.Core.Vault;
using Integrations.Core.Webhooks;

namespace Integrations.Core.Tests.Webhooks;

public sealed class WebhookSourceRulesTests
{
    private static readonly string[] Schemes = [.. WebhookSchemes.All];

    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static readonly WebhookSource Template =
        new("whs_aaaaaaaaaaaaaaaaaaaa", "org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa", "", "", null, WebhookSourceSettings.Default, [], true, Now, Now);

    [Fact]
    public void Apply_MinimalStripeSource_TakesDefaults()
    {
        var applied = WebhookSourceRules.Apply(new WebhookSourceInput("payments", "stripe"), Template, Schemes);

        Assert.True(applied.IsSuccess);
        Assert.Equal(("payments", "stripe", true, 300, null), (applied.Value.Name, applied.Value.Scheme, applied.Value.Enabled, applied.Value.Settings.ToleranceSeconds,
            applied.Value.Settings.Hmac));
    }

    [Theory]
    [InlineData(null, CommonErrors.MissingField)]
    [InlineData("", CommonErrors.InvalidName)]
    [InlineData("with space", CommonErrors.InvalidName)]
    [InlineData("..", CommonErrors.InvalidName)]
    public void Apply_BadName_IsRefusedOnName(string? name, string code) =>
        AssertRefused(WebhookSourceRules.Apply(new WebhookSourceInput(name, "stripe"), Template, Schemes), code, "name");

    [Fact]
    public void Apply_NameOf129Characters_IsRefused() =>
        AssertRefused(WebhookSourceRules.Apply(new WebhookSourceInput(new string('a', 129), "stripe"), Template, Schemes), CommonErrors.InvalidName, "name");

    [Fact]
    public void Apply_SchemeNotRegistered_IsUnknownAndNotEchoed()
    {
        var applied = WebhookSourceRules.Apply(new WebhookSourceInput("x", "paypal-evil"), Template, ["stripe", "github"]);

        var error = AssertRefused(applied, WebhookErrors.UnknownScheme, "scheme");
        Assert.DoesNotContain("paypal-evil", error.Message, StringComparison.Ordinal);
        Assert.Contains("github, stripe", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    [InlineData(-5)]
    public void ApplySettings_ToleranceOutOfRange_IsRefused(int seconds) =>
        AssertRefused(WebhookSourceRules.ApplySettings("stripe", new WebhookSettingsInput(seconds)), WebhookErrors.InvalidSettings, "settings.tolerance_seconds");

    [Theory]
    [InlineData(1)]
    [InlineData(3600)]
    public void ApplySettings_ToleranceAtTheBounds_IsKept(int seconds) =>
        Assert.Equal(seconds, WebhookSourceRules.ApplySettings("slack", new WebhookSettingsInput(seconds)).Value!.ToleranceSeconds);

    [Fact]
    public void ApplySettings_HmacWithoutHmacSettings_IsRefused() =>
        AssertRefused(WebhookSourceRules.ApplySettings("hmac", null), WebhookErrors.HmacSettingsRequired, "settings.hmac");

    [Fact]
    public void ApplySettings_HmacWithoutSignatureHeader_IsRefused() =>
        AssertRefused(WebhookSourceRules.ApplySettings("hmac", new WebhookSettingsInput(Hmac: new HmacSettingsInput())), WebhookErrors.HmacSettingsRequired,
            "settings.hmac.signature_header");

    [Theory]
    [InlineData("X Sig", null, null, null, null, null, "settings.hmac.signature_header")]
    [InlineData("X-Sig", "md5", null, null, null, null, "settings.hmac.algorithm")]
    [InlineData("X-Sig", "SHA256", null, null, null, null, "settings.hmac.algorithm")]
    [InlineData("X-Sig", null, "base32", null, null, null, "settings.hmac.encoding")]
    [InlineData("X-Sig", null, null, "sha256 =", null, null, "settings.hmac.prefix")]
    [InlineData("X-Sig", null, null, null, "X:Ts", null, "settings.hmac.timestamp_header")]
    [InlineData("X-Sig", null, null, null, null, "\n", "settings.hmac.separator")]
    [InlineData("X-Sig", null, null, null, null, "12345678901234567", "settings.hmac.separator")]
    public void ApplySettings_BadHmacShape_IsRefusedOnTheField(
        string header, string? algorithm, string? encoding, string? prefix, string? timestampHeader, string? separator, string field) =>
        AssertRefused(WebhookSourceRules.ApplySettings("hmac", new WebhookSettingsInput(Hmac: new HmacSettingsInput(header, algorithm, encoding, prefix, timestampHeader, separator))),
            WebhookErrors.InvalidSettings, field);

    [Fact]
    public void ApplySettings_FullHmacShape_IsKept()
    {
        var settings = WebhookSourceRules.ApplySettings("hmac", new WebhookSettingsInput(120,
            new HmacSettingsInput("X-Signature", "sha512", "base64", "sha512=", "X-Timestamp", ":"), "X-Event-Id", "/data/id", "/type"));

        Assert.True(settings.IsSuccess);
        Assert.Equal(new WebhookSourceSettings(120, new HmacSchemeSettings("X-Signature", "sha512", "base64", "sha512=", "X-Timestamp", ":"), "X-Event-Id", "/data/id", "/type"),
            settings.Value);
    }

    [Theory]
    [InlineData("event_id_header")]
    [InlineData("event_id_pointer")]
    [InlineData("event_type_pointer")]
    [InlineData("hmac")]
    public void ApplySettings_HmacOnlyMemberOnAnotherScheme_IsRefused(string member)
    {
        var input = member switch
        {
            "event_id_header" => new WebhookSettingsInput(EventIdHeader: "X-Id"),
            "event_id_pointer" => new WebhookSettingsInput(EventIdPointer: "/id"),
            "event_type_pointer" => new WebhookSettingsInput(EventTypePointer: "/type"),
            _ => new WebhookSettingsInput(Hmac: new HmacSettingsInput("X-Sig")),
        };

        AssertRefused(WebhookSourceRules.ApplySettings("github", input), WebhookErrors.InvalidSettings, "settings." + member);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("/id", true)]
    [InlineData("/a~0b/c~1d/0", true)]
    [InlineData("id", false)]
    [InlineData("/a~2", false)]
    [InlineData("/a~", false)]
    public void IsJsonPointer_FollowsRfc6901(string value, bool valid) => Assert.Equal(valid, WebhookSourceRules.IsJsonPointer(value));

    [Fact]
    public void Generate_Standard_IsWhsecAndBase64Of32Bytes()
    {
        var secret = WebhookSourceRules.Generate(WebhookSchemes.Standard);

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Null(WebhookSourceRules.ValidateSecret(WebhookSchemes.Standard, secret));
        Assert.NotEqual(secret, WebhookSourceRules.Generate(WebhookSchemes.Standard));
    }

    [Fact]
    public void Generate_Hmac_Is32BytesOfLowercaseHex()
    {
        var secret = WebhookSourceRules.Generate(WebhookSchemes.Hmac);

        Assert.Equal(64, secret.Length);
        Assert.All(secret, c => Assert.True(char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'));
    }

    [Theory]
    [InlineData("stripe")]
    [InlineData("github")]
    [InlineData("asana")]
    [InlineData("discord")]
    public void ChooseSecret_GenerateForAProviderMadeSecret_IsRefused(string scheme) =>
        AssertRefused(WebhookSourceRules.ChooseSecret(scheme, null, true), WebhookErrors.SecretGenerationUnsupported, "generate_secret");

    [Theory]
    [InlineData("stripe")]
    [InlineData("standard")]
    [InlineData("hmac")]
    [InlineData("sendgrid")]
    public void ChooseSecret_NoneSent_IsRequiredButForAsana(string scheme) =>
        AssertRefused(WebhookSourceRules.ChooseSecret(scheme, null, null), WebhookErrors.SecretRequired, "secret");

    [Fact]
    public void ChooseSecret_AsanaWithout_WaitsForTheHandshake()
    {
        var chosen = WebhookSourceRules.ChooseSecret(WebhookSchemes.Asana, null, null);

        Assert.True(chosen.IsSuccess);
        Assert.Null(chosen.Value.Value);
    }

    [Fact]
    public void ChooseSecret_BothSecretAndGenerate_IsRefused() =>
        AssertRefused(WebhookSourceRules.ChooseSecret(WebhookSchemes.Standard, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true), WebhookErrors.InvalidSecret, "secret");

    [Theory]
    [InlineData("standard", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true)]
    [InlineData("standard", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", false)]
    [InlineData("standard", "whsec_not*base64", false)]
    [InlineData("standard", "whsec_", false)]
    [InlineData("discord", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true)]
    [InlineData("discord", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", false)]
    [InlineData("discord", "z3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", false)]
    [InlineData("sendgrid", "bm90IGEga2V5", false)]
    [InlineData("github", "any-text_the.user~chose!", true)]
    [InlineData("github", "trailing-newline\n", false)]
    [InlineData("github", "inner space", false)]
    [InlineData("stripe", "", false)]
    public void ValidateSecret_FollowsTheSchemesForm(string scheme, string secret, bool valid)
    {
        var error = WebhookSourceRules.ValidateSecret(scheme, secret);

        Assert.Equal(valid, error is null);
        if (error is not null)
        {
            Assert.Equal((WebhookErrors.InvalidSecret, "secret"), (error.Code, error.Field));
            Assert.True(secret.Length < 8 || !error.Message.Contains(secret, StringComparison.Ordinal), "the message repeats the secret");
        }
    }

    [Fact]
    public void ValidateSecret_SendGridP256PublicKey_IsAccepted_OtherCurvesAreNot()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Null(WebhookSourceRules.ValidateSecret(WebhookSchemes.SendGrid, Convert.ToBase64String(p256.ExportSubjectPublicKeyInfo())));
        Assert.NotNull(WebhookSourceRules.ValidateSecret(WebhookSchemes.SendGrid, Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo())));
    }

    [Fact]
    public void Roll_NewKey_SetsTheOverlapOnEveryAcceptedKey_AndKeepsAnEarlierEnd()
    {
        var open = Key("a", null);
        var ending = Key("b", Now.AddHours(1));
        var added = Key("c", null);

        var roll = WebhookSourceRules.Roll([open, ending], added, Now, TimeSpan.FromHours(24));

        Assert.True(roll.IsSuccess);
        Assert.Equal(["c", "a", "b"], roll.Value.Kept.Select(k => k.Id));
        Assert.Equal([null, Now.AddHours(24), Now.AddHours(1)], roll.Value.Kept.Select(k => k.NotAfter));
        Assert.Empty(roll.Value.Dropped);
    }

    [Fact]
    public void Roll_ExpiredKeys_AreDropped()
    {
        var expired = Key("old", Now.AddSeconds(-1));
        var endsNow = Key("now", Now);

        var roll = WebhookSourceRules.Roll([expired, endsNow], Key("new", null), Now, TimeSpan.FromHours(24));

        Assert.Equal(["new"], roll.Value!.Kept.Select(k => k.Id));
        Assert.Equal(["old", "now"], roll.Value.Dropped.Select(k => k.Id));
    }

    [Fact]
    public void Roll_ZeroOverlap_DropsEveryPreviousKey_EvenAtTheLimit()
    {
        var five = Enumerable.Range(1, 5).Select(i => Key("k" + i, Now.AddHours(i))).ToList();

        var roll = WebhookSourceRules.Roll(five, Key("new", null), Now, TimeSpan.Zero);

        Assert.Equal(["new"], roll.Value!.Kept.Select(k => k.Id));
        Assert.Equal(5, roll.Value.Dropped.Count);
    }

    [Fact]
    public void Roll_SixthAcceptedKey_IsRefused()
    {
        var five = Enumerable.Range(1, 5).Select(i => Key("k" + i, Now.AddHours(i))).ToList();

        var roll = WebhookSourceRules.Roll(five, Key("new", null), Now, TimeSpan.FromHours(24));

        Assert.False(roll.IsSuccess);
        Assert.Equal(WebhookErrors.SecretLimit, roll.Error.Code);
    }

    [Theory]
    [InlineData(null, 86400)]
    [InlineData(0L, 0)]
    [InlineData(2592000L, 2592000)]
    public void Overlap_InRange_IsKept(long? seconds, int expected) => Assert.Equal(TimeSpan.FromSeconds(expected), WebhookSourceRules.Overlap(seconds).Value);

    [Theory]
    [InlineData(-1L)]
    [InlineData(2592001L)]
    public void Overlap_OutOfRange_IsRefused(long seconds) =>
        AssertRefused(WebhookSourceRules.Overlap(seconds), WebhookErrors.InvalidExpiry, "expire_previous_in_seconds");

    [Theory]
    [InlineData("webhook.whs_aaaaaaaaaaaaaaaaaaaa.whk_bbbbbbbbbbbbbbbbbbbb", true)]
    [InlineData("connection.con_aaaaaaaaaaaaaaaaaaaa.oauth", true)]
    [InlineData("webhooks.mine", false)]
    [InlineData("my.webhook.secret", false)]
    public void SecretRules_IsHubManaged_CoversWebhookSecrets(string name, bool managed) => Assert.Equal(managed, SecretRules.IsHubManaged(name));

    [Fact]
    public void SecretNameFor_IsAValidHubManagedSecretName()
    {
        var name = WebhookSourceService.SecretNameFor(Ids.New(WebhookSource.IdPrefix), Ids.New(WebhookSourceService.KeyIdPrefix));

        Assert.True(SecretRules.IsValidName(name));
        Assert.True(SecretRules.IsHubManaged(name));
    }

    [Fact]
    public void Inputs_ToString_NeverShowTheSecret()
    {
        const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        Assert.DoesNotContain(Secret, new WebhookSourceInput("n", "standard", Secret: Secret).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, new WebhookSecretInput(Secret).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, new WebhookSourceWithSecret(Template, Secret).ToString(), StringComparison.Ordinal);
    }

    private static WebhookSourceKey Key(string id, DateTimeOffset? notAfter) => new(id, "webhook.x." + id, Now.AddDays(-1), notAfter);

    private static HubError AssertRefused<T>(Result<T> result, string code, string field)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal((code, field), (result.Error.Code, result.Error.Field));
        return result.Error;
    }
}
