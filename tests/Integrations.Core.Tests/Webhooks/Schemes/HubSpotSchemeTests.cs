using System.Globalization;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SignedRequests;

namespace Integrations.Core.Tests.Webhooks.Schemes;

public sealed class HubSpotSchemeTests
{
    // HubSpot's own SDK vectors (hubspot-api-python tests/spec/utils/test_signature.py, hubspot-api-ruby spec): this client
    // secret, URL and body, POST.
    private const string ClientSecret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    private const string SdkUrl = "https://www.example.com/webhook_uri";
    private const string SdkBody = "{'example_field':'example_value'}";

    private const string Url = "https://hub.example.com/v1/webhooks/whs_1";
    private const string Batch = """[{"eventId":4100000001,"subscriptionId":5100001,"portalId":62515,"occurredAt":1790000000000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":901},{"eventId":4100000002,"subscriptionId":5100001,"portalId":62515,"occurredAt":1790000000500,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":902}]""";
    private const string Single = """[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]""";

    private readonly HubSpotScheme _scheme = new();

    private static WebhookRequest Signed(string body, DateTimeOffset signedAt, string secret = ClientSecret, string url = Url, DateTimeOffset? receivedAt = null)
    {
        var timestamp = signedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return Request(url, Utf8(body), receivedAt ?? Now,
            (HubSpotScheme.SignatureHeader, HmacSha256Base64(secret, "POST" + HubSpotScheme.DecodeUri(url) + body + timestamp)),
            (HubSpotScheme.TimestampHeader, timestamp));
    }

    [Theory]
    [InlineData(15000000L, "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=")] // Python SDK (older revision)
    [InlineData(1693657560000L, "K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y=")] // Python SDK
    [InlineData(1700000300000L, "RnbPH7+UMKVkbV32P8bz450N4M56aPmcru1+D3kSDtw=")] // Ruby SDK
    public void Verify_SdkVectors_AreVerifiedAtTheirTime(long timestampMs, string signature)
    {
        var request = Request(SdkUrl, Utf8(SdkBody), DateTimeOffset.FromUnixTimeMilliseconds(timestampMs),
            (HubSpotScheme.SignatureHeader, signature), (HubSpotScheme.TimestampHeader, timestampMs.ToString(CultureInfo.InvariantCulture)));

        var result = _scheme.Verify(request, Keys(ClientSecret), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal("k1", result.KeyId);
    }

    [Fact]
    public void Verify_SingleEvent_IdIsItsEventIdAndTypeItsSubscriptionType()
    {
        var result = _scheme.Verify(Signed(Single, Now), Keys(ClientSecret), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal("1", result.EventId);
        Assert.Equal("contact.creation", result.EventType);
    }

    [Fact]
    public void Verify_BatchRetriedWithAnotherAttemptNumber_SameId()
    {
        var first = _scheme.Verify(Signed(Batch, Now), Keys(ClientSecret), WebhookSourceSettings.Default);
        var retry = _scheme.Verify(Signed(Batch.Replace("\"attemptNumber\":0", "\"attemptNumber\":1", StringComparison.Ordinal), Now), Keys(ClientSecret), WebhookSourceSettings.Default);

        Assert.True(first.IsVerified && retry.IsVerified);
        Assert.StartsWith("batch_", first.EventId, StringComparison.Ordinal);
        Assert.Equal(first.EventId, retry.EventId);
    }

    [Fact]
    public void Verify_UriWithDocumentedEscapes_DecodedBeforeSigning()
    {
        // The documented table decodes %3A and %40; %20 is not in it and stays encoded.
        var url = "https://hub.example.com/v1/webhooks/whs_1?a=b%3Ac%40d&e=f%20g";
        var timestamp = Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signature = HmacSha256Base64(ClientSecret, "POST" + "https://hub.example.com/v1/webhooks/whs_1?a=b:c@d&e=f%20g" + Single + timestamp);
        var request = Request(url, Utf8(Single), Now, (HubSpotScheme.SignatureHeader, signature), (HubSpotScheme.TimestampHeader, timestamp));

        Assert.True(_scheme.Verify(request, Keys(ClientSecret), WebhookSourceSettings.Default).IsVerified);
    }

    [Fact]
    public void DecodeUri_OnlyTheTwelveListedEscapes()
    {
        Assert.Equal(":/?@!$'()*,;%20%26%3D%2", HubSpotScheme.DecodeUri("%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B%20%26%3D%2"));
        Assert.Equal(":/", HubSpotScheme.DecodeUri("%3a%2f"));
    }

    [Fact]
    public void Verify_BodyByteFlipped_IsBadSignature()
    {
        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(Signed(Single, Now).WithBodyByteFlipped(5), Keys(ClientSecret), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_SignatureFlipped_IsBadSignatureAndReasonHidesIt()
    {
        var request = Signed(Single, Now);
        var flipped = Flip(request.Headers.GetAll(HubSpotScheme.SignatureHeader)[0], 3);

        var result = _scheme.Verify(request.WithHeader(HubSpotScheme.SignatureHeader, flipped), Keys(ClientSecret), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
        AssertReasonHidesAll(result, flipped, ClientSecret);
    }

    [Fact]
    public void Verify_TimestampChanged_IsBadSignature()
    {
        var request = Signed(Single, Now);
        var changed = (Now.ToUnixTimeMilliseconds() + 1).ToString(CultureInfo.InvariantCulture);

        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(request.WithHeader(HubSpotScheme.TimestampHeader, changed), Keys(ClientSecret), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_MethodOrUrlChanged_IsBadSignature()
    {
        var request = Signed(Single, Now);

        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(request with { Method = "PUT" }, Keys(ClientSecret), WebhookSourceSettings.Default).Refusal);
        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(request with { PublicUrl = Url + "x" }, Keys(ClientSecret), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    public void Verify_TimestampOffset_ToleratedWithin300SecondsBothWays(int offsetSeconds, bool accepted)
    {
        var result = _scheme.Verify(Signed(Single, Now.AddSeconds(offsetSeconds)), Keys(ClientSecret), WebhookSourceSettings.Default);

        Assert.Equal(accepted, result.IsVerified);
        if (!accepted)
        {
            Assert.Equal(WebhookRefusal.Stale, result.Refusal);
        }
    }

    [Fact]
    public void Verify_SourceTolerance_IsUsed()
    {
        var result = _scheme.Verify(Signed(Single, Now.AddSeconds(-61)), Keys(ClientSecret), new WebhookSourceSettings(ToleranceSeconds: 60));

        Assert.Equal(WebhookRefusal.Stale, result.Refusal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5e12")]
    [InlineData(" 1790000000000")]
    [InlineData("99999999999999999999")]
    [InlineData("9223372036854775808")]
    public void Verify_TimestampNotAnInt64_IsMalformed(string timestamp)
    {
        var request = Signed(Single, Now).WithHeader(HubSpotScheme.TimestampHeader, timestamp);

        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(request, Keys(ClientSecret), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_MaxInt64Timestamp_IsStaleNotAnOverflow()
    {
        var request = Signed(Single, Now).WithHeader(HubSpotScheme.TimestampHeader, long.MaxValue.ToString(CultureInfo.InvariantCulture));
        var timestamp = long.MaxValue.ToString(CultureInfo.InvariantCulture);
        request = request.WithHeader(HubSpotScheme.SignatureHeader, HmacSha256Base64(ClientSecret, "POST" + Url + Single + timestamp));

        Assert.Equal(WebhookRefusal.Stale, _scheme.Verify(request, Keys(ClientSecret), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData(HubSpotScheme.SignatureHeader)]
    [InlineData(HubSpotScheme.TimestampHeader)]
    public void Verify_HeaderMissing_IsMissingHeader(string header)
    {
        Assert.Equal(WebhookRefusal.MissingHeader, _scheme.Verify(Signed(Single, Now).WithoutHeader(header), Keys(ClientSecret), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData(HubSpotScheme.SignatureHeader)]
    [InlineData(HubSpotScheme.TimestampHeader)]
    public void Verify_HeaderDuplicated_IsDuplicateHeader(string header)
    {
        var request = Signed(Single, Now);

        var result = _scheme.Verify(request.WithDuplicate(header, request.Headers.GetAll(header)[0]), Keys(ClientSecret), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.DuplicateHeader, result.Refusal);
    }

    [Fact]
    public void Verify_TwoSecretsOnlySecondMatches_VerifiedWithSecond()
    {
        var result = _scheme.Verify(Signed(Single, Now), Keys("retired-secret", ClientSecret), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified);
        Assert.Equal("k2", result.KeyId);
    }

    [Fact]
    public void Recognizes_V3SignatureHeaderInAnyCase_TrueOtherwiseFalse()
    {
        Assert.True(_scheme.Recognizes(Headers(("x-hubspot-signature-v3", "x"))));
        Assert.False(_scheme.Recognizes(Headers(("X-HubSpot-Signature", "x"), ("X-HubSpot-Signature-Version", "v2"))));
    }
}
