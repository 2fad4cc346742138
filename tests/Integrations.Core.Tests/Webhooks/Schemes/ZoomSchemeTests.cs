using System.Globalization;
using System.Text.Json;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SignedRequests;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>Zoom publishes no signed example with its secret token, so the vectors are built from the documented formula.</summary>
public sealed class ZoomSchemeTests
{
    private const string SecretToken = "zoom-secret-token-1";
    private const string Url = "https://hub.example.com/v1/webhooks/whs_zoom";
    private const string Deauthorized = """{"event":"app_deauthorized","event_ts":1790000000123,"payload":{"account_id":"EPeQtiABC000VYxHMA","user_id":"z8yCxjabcdEFGHfp8uQ","signature":"827edc3452044f0bc86bdd5684afb7d1e6becfa1a767f24df1b287853cf73000","deauthorization_time":"2026-11-30T12:00:00.000Z","client_id":"ADZ9k9bTWmGUoUbECUKU_a"}}""";

    // The documented validation request (developers.zoom.us "Validate your webhook endpoint").
    private const string Validation = """{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}""";

    private readonly ZoomScheme _scheme = new();

    private static WebhookRequest Signed(string body, DateTimeOffset signedAt, string secret = SecretToken)
    {
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return Request(Url, Utf8(body), Now,
            (ZoomScheme.SignatureHeader, "v0=" + HmacSha256Hex(secret, $"v0:{timestamp}:{body}")),
            (ZoomScheme.TimestampHeader, timestamp));
    }

    [Fact]
    public void Verify_SignedEvent_IdAndTypeFromTheBody()
    {
        var result = _scheme.Verify(Signed(Deauthorized, Now), Keys(SecretToken), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal("app_deauthorized", result.EventType);
        Assert.StartsWith("app_deauthorized:1790000000123:", result.EventId, StringComparison.Ordinal);
        Assert.Null(result.Challenge);
    }

    [Fact]
    public void Verify_UrlValidation_AnsweredWithPlainAndEncryptedToken()
    {
        var result = _scheme.Verify(Signed(Validation, Now), Keys("other", SecretToken), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.NotNull(result.Challenge);
        Assert.Equal("application/json", result.Challenge.ContentType);
        Assert.Equal("k2", result.KeyId);
        using var answer = JsonDocument.Parse(result.Challenge.Body);
        Assert.Equal("qgg8vlvZRS6UYooatFL8Aw", answer.RootElement.GetProperty("plainToken").GetString());
        Assert.Equal(HmacSha256Hex(SecretToken, "qgg8vlvZRS6UYooatFL8Aw"), answer.RootElement.GetProperty("encryptedToken").GetString());
    }

    [Fact]
    public void Verify_UrlValidationNotSigned_IsNotAnswered()
    {
        var result = _scheme.Verify(Signed(Validation, Now, "attacker-secret"), Keys(SecretToken), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
        Assert.Null(result.Challenge);
    }

    [Fact]
    public void Verify_BodyByteFlipped_IsBadSignature()
    {
        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(Signed(Deauthorized, Now).WithBodyByteFlipped(12), Keys(SecretToken), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_SignatureFlipped_IsBadSignatureAndReasonHidesIt()
    {
        var request = Signed(Deauthorized, Now);
        var flipped = Flip(request.Headers.GetAll(ZoomScheme.SignatureHeader)[0], 5);

        var result = _scheme.Verify(request.WithHeader(ZoomScheme.SignatureHeader, flipped), Keys(SecretToken), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
        AssertReasonHidesAll(result, flipped[3..], SecretToken);
    }

    [Fact]
    public void Verify_TimestampChanged_IsBadSignature()
    {
        var changed = (Now.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture);

        var result = _scheme.Verify(Signed(Deauthorized, Now).WithHeader(ZoomScheme.TimestampHeader, changed), Keys(SecretToken), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    public void Verify_TimestampOffset_ToleratedWithin300SecondsBothWays(int offsetSeconds, bool accepted)
    {
        var result = _scheme.Verify(Signed(Deauthorized, Now.AddSeconds(offsetSeconds)), Keys(SecretToken), WebhookSourceSettings.Default);

        Assert.Equal(accepted, result.IsVerified);
        Assert.Equal(accepted ? null : WebhookRefusal.Stale, result.Refusal);
    }

    [Theory]
    [InlineData("1790000000.5")]
    [InlineData("+1790000000")]
    [InlineData("18446744073709551616")]
    public void Verify_TimestampNotAnInt64_IsMalformed(string timestamp)
    {
        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(Signed(Deauthorized, Now).WithHeader(ZoomScheme.TimestampHeader, timestamp), Keys(SecretToken), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData("v1=00")]
    [InlineData("0123")]
    [InlineData("v0=zz")]
    public void Verify_SignatureNotV0Hex_IsMalformed(string signature)
    {
        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(Signed(Deauthorized, Now).WithHeader(ZoomScheme.SignatureHeader, signature), Keys(SecretToken), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData(ZoomScheme.SignatureHeader)]
    [InlineData(ZoomScheme.TimestampHeader)]
    public void Verify_HeaderMissing_IsMissingHeader(string header)
    {
        Assert.Equal(WebhookRefusal.MissingHeader, _scheme.Verify(Signed(Deauthorized, Now).WithoutHeader(header), Keys(SecretToken), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData(ZoomScheme.SignatureHeader)]
    [InlineData(ZoomScheme.TimestampHeader)]
    public void Verify_HeaderDuplicated_IsDuplicateHeader(string header)
    {
        var request = Signed(Deauthorized, Now);

        Assert.Equal(WebhookRefusal.DuplicateHeader, _scheme.Verify(request.WithDuplicate(header, request.Headers.GetAll(header)[0]), Keys(SecretToken), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_TwoSecretsOnlySecondMatches_VerifiedWithSecond()
    {
        var result = _scheme.Verify(Signed(Deauthorized, Now), Keys("retired", SecretToken), WebhookSourceSettings.Default);

        Assert.Equal("k2", result.KeyId);
    }

    [Fact]
    public void Verify_SignedButNotJson_IsMalformed()
    {
        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(Signed("not json", Now), Keys(SecretToken), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Recognizes_ZmSignatureHeader_TrueOtherwiseFalse()
    {
        Assert.True(_scheme.Recognizes(Headers(("X-Zm-Signature", "v0=00"))));
        Assert.False(_scheme.Recognizes(Headers(("x-zm-request-timestamp", "1"))));
    }
}
