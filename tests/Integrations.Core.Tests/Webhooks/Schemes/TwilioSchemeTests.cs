using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SignedRequests;

namespace Integrations.Core.Tests.Webhooks.Schemes;

public sealed class TwilioSchemeTests
{
    // twilio-python tests/unit/test_request_validator.py (the SDK's published vectors): token 12345, this URL and form.
    private const string AuthToken = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string Form = "CallSid=CA1234567890ABCDE&Digits=1234&From=%2B14158675309&To=%2B18005551212&Caller=%2B14158675309";
    private const string FormSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    private const string JsonBody = """{"property": "value", "boolean": true}""";
    private const string JsonBodyHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    private const string JsonSignature = "a9nBmqA0ju/hNViExpshrM61xv4=";

    private readonly TwilioScheme _scheme = new();

    private static WebhookRequest FormRequest(string form = Form, string signature = FormSignature, string url = Url) =>
        Request(url, Utf8(form), Now, ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), (TwilioScheme.SignatureHeader, signature));

#pragma warning disable CA5350 // Twilio's scheme is HMAC-SHA1.
    private static string Sign(string token, string signedString) =>
        Convert.ToBase64String(HMACSHA1.HashData(Utf8(token), Utf8(signedString)));
#pragma warning restore CA5350

    [Fact]
    public void Verify_SdkFormVector_IsVerified()
    {
        var result = _scheme.Verify(FormRequest(), Keys(AuthToken), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal("k1", result.KeyId);
        Assert.StartsWith("sha256_", result.EventId, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SdkJsonVectorWithBodySha256_IsVerified()
    {
        var request = Request($"{Url}&bodySHA256={JsonBodyHash}", Utf8(JsonBody), Now,
            ("Content-Type", "application/json"), (TwilioScheme.SignatureHeader, JsonSignature));

        var result = _scheme.Verify(request, Keys(AuthToken), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
    }

    [Fact]
    public void Verify_SdkDuplicateParameterVector_SortsNamesAndValuesAndDropsRepeats()
    {
        // Same SDK file: Digits sent 5678, 1234, 1234 signs as Digits1234Digits5678.
        var request = FormRequest("Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Digits=1234", "IK+Dwps556ElfBT0I3Rgjkr1wJU=");

        Assert.True(_scheme.Verify(request, Keys(AuthToken), WebhookSourceSettings.Default).IsVerified);
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")] // signed with :443 added
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", FormSignature)] // signed without the port
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")] // signed with :80 added
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")] // signed with the port
    public void Verify_SdkPortVectors_UrlTriedWithAndWithoutPort(string url, string signature)
    {
        Assert.True(_scheme.Verify(FormRequest(url: url, signature: signature), Keys(AuthToken), WebhookSourceSettings.Default).IsVerified);
    }

    [Fact]
    public void Verify_BodyByteFlipped_IsBadSignature()
    {
        var result = _scheme.Verify(FormRequest().WithBodyByteFlipped(10), Keys(AuthToken), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
    }

    [Fact]
    public void Verify_JsonBodyByteFlipped_IsBadSignatureThroughItsHash()
    {
        var request = Request($"{Url}&bodySHA256={JsonBodyHash}", Utf8(JsonBody), Now, (TwilioScheme.SignatureHeader, JsonSignature));

        var result = _scheme.Verify(request.WithBodyByteFlipped(3), Keys(AuthToken), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
    }

    [Fact]
    public void Verify_SignatureFlipped_IsBadSignatureAndReasonHidesIt()
    {
        var flipped = Flip(FormSignature, 2);

        var result = _scheme.Verify(FormRequest(signature: flipped), Keys(AuthToken), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
        AssertReasonHidesAll(result, flipped, AuthToken);
    }

    [Fact]
    public void Verify_UrlQueryChanged_IsBadSignature()
    {
        var result = _scheme.Verify(FormRequest(url: Url.Replace("foo=1", "foo=2", StringComparison.Ordinal)), Keys(AuthToken), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
    }

    [Fact]
    public void Verify_UnsignedJsonBodyWithoutBodySha256_IsMalformed()
    {
        // The URL alone is signed: a JSON body without bodySHA256 would ride along unauthenticated.
        var request = Request(Url, Utf8(JsonBody), Now, ("Content-Type", "application/json"), (TwilioScheme.SignatureHeader, Sign(AuthToken, Url)));

        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(request, Keys(AuthToken), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_MissingSignature_IsMissingHeader()
    {
        var result = _scheme.Verify(FormRequest().WithoutHeader(TwilioScheme.SignatureHeader), Keys(AuthToken), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.MissingHeader, result.Refusal);
    }

    [Fact]
    public void Verify_DuplicatedSignature_IsDuplicateHeader()
    {
        var result = _scheme.Verify(FormRequest().WithDuplicate(TwilioScheme.SignatureHeader, FormSignature), Keys(AuthToken), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.DuplicateHeader, result.Refusal);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void Verify_SignatureNotABase64Sha1_IsMalformed(string signature)
    {
        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(FormRequest(signature: signature), Keys(AuthToken), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_TwoTokensOnlySecondMatches_VerifiedWithSecond()
    {
        var result = _scheme.Verify(FormRequest(), Keys("old-token", AuthToken), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified);
        Assert.Equal("k2", result.KeyId);
    }

    [Fact]
    public void Verify_NoKeys_IsBadSignature()
    {
        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(FormRequest(), [], WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_IdempotencyTokenHeader_IsTheEventId()
    {
        var request = FormRequest().WithHeader(TwilioScheme.IdempotencyHeader, "AC123-idem-1");

        Assert.Equal("AC123-idem-1", _scheme.Verify(request, Keys(AuthToken), WebhookSourceSettings.Default).EventId);
    }

    [Fact]
    public void Verify_StatusCallbacksOfOneMessage_GetDifferentIdsAndTypes()
    {
        var sent = "MessageSid=SM1&MessageStatus=sent";
        var delivered = "MessageSid=SM1&MessageStatus=delivered";

        var first = _scheme.Verify(FormRequest(sent, Sign(AuthToken, Url + "MessageSidSM1MessageStatussent")), Keys(AuthToken), WebhookSourceSettings.Default);
        var second = _scheme.Verify(FormRequest(delivered, Sign(AuthToken, Url + "MessageSidSM1MessageStatusdelivered")), Keys(AuthToken), WebhookSourceSettings.Default);
        var retry = _scheme.Verify(FormRequest(sent, Sign(AuthToken, Url + "MessageSidSM1MessageStatussent")), Keys(AuthToken), WebhookSourceSettings.Default);

        Assert.True(first.IsVerified && second.IsVerified && retry.IsVerified);
        Assert.NotEqual(first.EventId, second.EventId);
        Assert.Equal(first.EventId, retry.EventId);
        Assert.Equal("message.sent", first.EventType);
        Assert.Equal("message.delivered", second.EventType);
    }

    [Fact]
    public void Verify_FormValuesPercentAndPlusDecoded_BeforeSigning()
    {
        var signature = Sign(AuthToken, Url + "Bodyhi there & €");

        var result = _scheme.Verify(FormRequest("Body=hi+there+%26+%E2%82%AC", signature), Keys(AuthToken), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
    }

    [Fact]
    public void Recognizes_TwilioSignatureHeader_TrueOtherwiseFalse()
    {
        Assert.True(_scheme.Recognizes(Headers((TwilioScheme.SignatureHeader, "x"))));
        Assert.False(_scheme.Recognizes(Headers(("X-Twilio-Email-Event-Webhook-Signature", "x"))));
        Assert.False(_scheme.Recognizes(Headers(("Content-Type", "application/x-www-form-urlencoded"))));
    }

    [Fact]
    public void SortedParameters_OrdinalNameOrder()
    {
        var sorted = TwilioScheme.SortedParameters([new("b", "1"), new("B", "2"), new("a", "3")]);

        Assert.Equal("B2a3b1", sorted);
        Assert.Equal(Encoding.UTF8.GetByteCount(sorted), sorted.Length);
    }
}
