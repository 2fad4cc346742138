using System.Globalization;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SignedRequests;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>
/// Mailgun's documentation shows a signature object but not the signing key behind it, so nothing published can be
/// verified; the vectors are built from the documented formula (hex HMAC-SHA256 of timestamp + token).
/// </summary>
public sealed class MailgunSchemeTests
{
    private const string SigningKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    private const string Url = "https://hub.example.com/v1/webhooks/whs_mg";
    private const string Token = "e0b5477167110d68991efc6b9f89f0a11066af27834600e123";

    private readonly MailgunScheme _scheme = new();

    private static string Json(string timestamp, string signature, string? parent = null)
    {
        var parentField = parent is null ? string.Empty : $",\"parent-signature\":\"{parent}\"";
        return "{\"signature\":{\"token\":\"" + Token + "\",\"timestamp\":\"" + timestamp + "\",\"signature\":\"" + signature + "\"" + parentField
            + "},\"event-data\":{\"id\":\"CPgfbmQMTCKtHW6uIWtuVe\",\"event\":\"delivered\",\"timestamp\":1790000000.1}}";
    }

    private static WebhookRequest SignedJson(DateTimeOffset signedAt, string key = SigningKey)
    {
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return Request(Url, Utf8(Json(timestamp, HmacSha256Hex(key, timestamp + Token))), Now, ("Content-Type", "application/json"));
    }

    private static WebhookRequest SignedForm(DateTimeOffset signedAt, string key = SigningKey)
    {
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var form = $"event=delivered&recipient=alice%40example.com&timestamp={timestamp}&token={Token}&signature={HmacSha256Hex(key, timestamp + Token)}";
        return Request(Url, Utf8(form), Now, ("Content-Type", "application/x-www-form-urlencoded"));
    }

    [Fact]
    public void Verify_SignedJson_IdAndTypeFromEventData()
    {
        var result = _scheme.Verify(SignedJson(Now), Keys(SigningKey), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal("CPgfbmQMTCKtHW6uIWtuVe", result.EventId);
        Assert.Equal("delivered", result.EventType);
    }

    [Fact]
    public void Verify_SignedForm_IdIsTheTokenAndTypeTheEventField()
    {
        var result = _scheme.Verify(SignedForm(Now), Keys(SigningKey), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal(Token, result.EventId);
        Assert.Equal("delivered", result.EventType);
    }

    [Fact]
    public void Verify_SubaccountEventWithParentSignature_VerifiedWithThePrimaryKey()
    {
        var timestamp = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = Json(timestamp, HmacSha256Hex("subaccount-key", timestamp + Token), HmacSha256Hex(SigningKey, timestamp + Token));

        var result = _scheme.Verify(Request(Url, Utf8(body), Now), Keys(SigningKey), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
    }

    [Fact]
    public void Verify_TokenByteFlipped_IsBadSignature()
    {
        var request = SignedJson(Now);
        var at = request.Body.Span.IndexOf(Utf8(Token)) + 4;

        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(request.WithBodyByteFlipped(at), Keys(SigningKey), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_SignatureFlipped_IsBadSignatureAndReasonHidesIt()
    {
        var timestamp = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var flipped = Flip(HmacSha256Hex(SigningKey, timestamp + Token), 7);

        var result = _scheme.Verify(Request(Url, Utf8(Json(timestamp, flipped)), Now), Keys(SigningKey), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
        AssertReasonHidesAll(result, flipped, SigningKey, Token);
    }

    [Fact]
    public void Verify_TimestampChanged_IsBadSignature()
    {
        var timestamp = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = Json((Now.ToUnixTimeSeconds() - 1).ToString(CultureInfo.InvariantCulture), HmacSha256Hex(SigningKey, timestamp + Token));

        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(Request(Url, Utf8(body), Now), Keys(SigningKey), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    public void Verify_TimestampOffset_ToleratedWithin300SecondsBothWays(int offsetSeconds, bool accepted)
    {
        var json = _scheme.Verify(SignedJson(Now.AddSeconds(offsetSeconds)), Keys(SigningKey), WebhookSourceSettings.Default);
        var form = _scheme.Verify(SignedForm(Now.AddSeconds(offsetSeconds)), Keys(SigningKey), WebhookSourceSettings.Default);

        Assert.Equal(accepted ? null : WebhookRefusal.Stale, json.Refusal);
        Assert.Equal(accepted ? null : WebhookRefusal.Stale, form.Refusal);
    }

    [Theory]
    [InlineData("1790000000.5")]
    [InlineData("99999999999999999999")]
    public void Verify_TimestampNotAnInt64_IsMalformed(string timestamp)
    {
        var body = Json(timestamp, HmacSha256Hex(SigningKey, timestamp + Token));

        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(Request(Url, Utf8(body), Now), Keys(SigningKey), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_JsonWithoutSignatureObject_IsMalformed()
    {
        var result = _scheme.Verify(Request(Url, Utf8("""{"event-data":{"id":"x"}}"""), Now), Keys(SigningKey), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.Malformed, result.Refusal);
    }

    [Fact]
    public void Verify_FormFieldMissingOrRepeated_IsMalformed()
    {
        var request = SignedForm(Now);
        var text = System.Text.Encoding.UTF8.GetString(request.Body.Span);
        var missing = request with { Body = Utf8(text.Replace("&token=", "&tokem=", StringComparison.Ordinal)) };
        var repeated = request with { Body = Utf8(text + "&signature=00") };

        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(missing, Keys(SigningKey), WebhookSourceSettings.Default).Refusal);
        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(repeated, Keys(SigningKey), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_TwoKeysOnlySecondMatches_VerifiedWithSecond()
    {
        var result = _scheme.Verify(SignedJson(Now), Keys("key-retired", SigningKey), WebhookSourceSettings.Default);

        Assert.Equal("k2", result.KeyId);
    }

    [Fact]
    public void Recognizes_NeverByHeaders()
    {
        Assert.False(_scheme.Recognizes(Headers(("Content-Type", "application/json"), ("User-Agent", "mailgun/treq-16.12.0"))));
        Assert.False(_scheme.Recognizes(Headers()));
    }
}
