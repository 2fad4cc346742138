using System.Globalization;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using NSec.Cryptography;
using Key = NSec.Cryptography.Key;
using static Integrations.Core.Tests.Webhooks.Schemes.SignedRequests;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>Discord publishes no signed example (its samples sign with a fresh key), so each test makes its own key pair.</summary>
public sealed class DiscordSchemeTests : IDisposable
{
    private const string Url = "https://hub.example.com/v1/webhooks/whs_dc";
    private const string Command = """{"id":"1187000000000000001","application_id":"1100000000000000001","type":2,"token":"aW50ZXJhY3Rpb24","version":1,"data":{"name":"ping"}}""";
    private const string Ping = """{"id":"1187000000000000002","application_id":"1100000000000000001","type":1,"token":"aW50ZXJhY3Rpb24","version":1}""";
    private const string EventPing = """{"version":1,"application_id":"1100000000000000001","type":0}""";
    private const string Deauthorized = """{"version":1,"application_id":"1100000000000000001","type":1,"event":{"type":"APPLICATION_DEAUTHORIZED","timestamp":"2026-11-30T12:00:00.000000+00:00","data":{"user":{"id":"1000"}}}}""";

    private readonly DiscordScheme _scheme = new();
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    private string PublicKey => Convert.ToHexStringLower(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    private WebhookRequest Signed(string body, DateTimeOffset signedAt, Key? key = null)
    {
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = SignatureAlgorithm.Ed25519.Sign(key ?? _key, Utf8(timestamp + body));
        return Request(Url, Utf8(body), Now,
            (DiscordScheme.SignatureHeader, Convert.ToHexStringLower(signature)), (DiscordScheme.TimestampHeader, timestamp));
    }

    [Fact]
    public void Verify_SignedCommand_IdAndTypeFromTheBody()
    {
        var result = _scheme.Verify(Signed(Command, Now), Keys(PublicKey), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal("1187000000000000001", result.EventId);
        Assert.Equal("2", result.EventType);
        Assert.Null(result.Challenge);
    }

    [Fact]
    public void Verify_InteractionPing_AnsweredWithPong()
    {
        var result = _scheme.Verify(Signed(Ping, Now), Keys(PublicKey), WebhookSourceSettings.Default);

        Assert.NotNull(result.Challenge);
        Assert.Equal("application/json", result.Challenge.ContentType);
        Assert.Equal("""{"type":1}""", result.Challenge.Body);
    }

    [Fact]
    public void Verify_WebhookEventPing_AnsweredWithAnEmptyBody()
    {
        var result = _scheme.Verify(Signed(EventPing, Now), Keys(PublicKey), WebhookSourceSettings.Default);

        Assert.NotNull(result.Challenge);
        Assert.Equal(string.Empty, result.Challenge.Body);
    }

    [Fact]
    public void Verify_WebhookEvent_TypeIsTheEventType()
    {
        var result = _scheme.Verify(Signed(Deauthorized, Now), Keys(PublicKey), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal("APPLICATION_DEAUTHORIZED", result.EventType);
        Assert.StartsWith("sha256_", result.EventId, StringComparison.Ordinal);
        Assert.Null(result.Challenge);
    }

    [Fact]
    public void Verify_PingSignedByAnotherKey_IsNotAnswered()
    {
        using var attacker = Key.Create(SignatureAlgorithm.Ed25519);

        var result = _scheme.Verify(Signed(Ping, Now, attacker), Keys(PublicKey), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
        Assert.Null(result.Challenge);
    }

    [Fact]
    public void Verify_BodyByteFlipped_IsBadSignature()
    {
        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(Signed(Command, Now).WithBodyByteFlipped(9), Keys(PublicKey), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_SignatureFlipped_IsBadSignatureAndReasonHidesIt()
    {
        var request = Signed(Command, Now);
        var flipped = Flip(request.Headers.GetAll(DiscordScheme.SignatureHeader)[0], 10);

        var result = _scheme.Verify(request.WithHeader(DiscordScheme.SignatureHeader, flipped), Keys(PublicKey), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
        AssertReasonHidesAll(result, flipped, PublicKey);
    }

    [Fact]
    public void Verify_TimestampChanged_IsBadSignature()
    {
        var changed = (Now.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture);

        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(Signed(Command, Now).WithHeader(DiscordScheme.TimestampHeader, changed), Keys(PublicKey), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    public void Verify_TimestampOffset_ToleratedWithin300SecondsBothWays(int offsetSeconds, bool accepted)
    {
        var result = _scheme.Verify(Signed(Command, Now.AddSeconds(offsetSeconds)), Keys(PublicKey), WebhookSourceSettings.Default);

        Assert.Equal(accepted ? null : WebhookRefusal.Stale, result.Refusal);
    }

    [Theory]
    [InlineData("now")]
    [InlineData("-5")]
    [InlineData("99999999999999999999")]
    public void Verify_TimestampNotAnInt64_IsMalformed(string timestamp)
    {
        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(Signed(Command, Now).WithHeader(DiscordScheme.TimestampHeader, timestamp), Keys(PublicKey), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("not hex")]
    public void Verify_SignatureNotHexEd25519_IsMalformed(string signature)
    {
        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(Signed(Command, Now).WithHeader(DiscordScheme.SignatureHeader, signature), Keys(PublicKey), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData(DiscordScheme.SignatureHeader)]
    [InlineData(DiscordScheme.TimestampHeader)]
    public void Verify_HeaderMissing_IsMissingHeader(string header)
    {
        Assert.Equal(WebhookRefusal.MissingHeader, _scheme.Verify(Signed(Command, Now).WithoutHeader(header), Keys(PublicKey), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData(DiscordScheme.SignatureHeader)]
    [InlineData(DiscordScheme.TimestampHeader)]
    public void Verify_HeaderDuplicated_IsDuplicateHeader(string header)
    {
        var request = Signed(Command, Now);

        Assert.Equal(WebhookRefusal.DuplicateHeader, _scheme.Verify(request.WithDuplicate(header, request.Headers.GetAll(header)[0]), Keys(PublicKey), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_TwoKeysOnlySecondMatches_VerifiedWithSecond()
    {
        using var other = Key.Create(SignatureAlgorithm.Ed25519);
        var otherKey = Convert.ToHexStringLower(other.PublicKey.Export(KeyBlobFormat.RawPublicKey));

        var result = _scheme.Verify(Signed(Command, Now), Keys(otherKey, PublicKey), WebhookSourceSettings.Default);

        Assert.Equal("k2", result.KeyId);
    }

    [Theory]
    [InlineData("not hex")]
    [InlineData("abcd")]
    [InlineData("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=")]
    public void Verify_KeyNotAHexEd25519PublicKey_IsAClearRefusalNotAnException(string key)
    {
        var result = _scheme.Verify(Signed(Command, Now), Keys(key), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
        Assert.Contains("not a hex Ed25519 public key", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Recognizes_Ed25519SignatureHeader_TrueOtherwiseFalse()
    {
        Assert.True(_scheme.Recognizes(Headers(("x-signature-ed25519", "00"))));
        Assert.False(_scheme.Recognizes(Headers(("X-Signature-Timestamp", "1"))));
    }

    public void Dispose() => _key.Dispose();
}
