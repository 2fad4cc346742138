using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SchemeTestKit;

namespace Integrations.Core.Tests.Webhooks.Schemes;

public sealed class StripeSchemeTests : WebhookSchemeContractTests
{
    private const string Body = """{"id":"evt_1NqAbc","object":"event","type":"invoice.paid","data":{"object":{"id":"in_1"}}}""";

    // stripe-dotnet's fixture (src/StripeTests/Resources/event_test_signature.json, LF line endings, trailing newline) and the
    // header EventUtilityTest checks it with: signed at 1533204620 with the secret "webhook_secret".
    private static readonly string DotnetFixtureBody = string.Join('\n',
        "{",
        "  \"id\": \"evt_123\",",
        "  \"object\": \"event\",",
        "  \"account\": \"acct_123\",",
        "  \"api_version\": \"2017-05-25\",",
        "  \"created\": 1533204620,",
        "  \"data\": {",
        "    \"object\": {",
        "      \"id\": \"cus_123\",",
        "      \"object\": \"customer\",",
        "      \"created\": 123456789,",
        "      \"email\": \"test@stripe.com\",",
        "      \"livemode\": false,",
        "      \"metadata\": {}",
        "    }",
        "  },",
        "  \"livemode\": false,",
        "  \"pending_webhooks\": 1,",
        "  \"request\": {",
        "    \"id\": \"req_123\",",
        "    \"idempotency_key\": \"idempotency-key-123\"",
        "  },",
        "  \"type\": \"customer.created\"",
        "}",
        string.Empty);

    private const string DotnetFixtureHeader =
        "t=1533204620,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7,v0=63f3a72374a733066c4be69ed7f8e5ac85c22c9f0a6a612ab9a025a9e4ee7eef";

    private static readonly DateTimeOffset DotnetFixtureTime = DateTimeOffset.FromUnixTimeSeconds(1533204620);

    protected override IWebhookScheme Scheme { get; } = new StripeScheme();

    protected override string Secret => "whsec_test_secret";

    protected override string OtherSecret => "whsec_other_secret";

    protected override bool SignsTime => true;

    protected override string SignatureHeader => StripeScheme.SignatureHeader;

    protected override IReadOnlyList<string> RequiredHeaders => [StripeScheme.SignatureHeader];

    protected override string? ExpectedEventId => "evt_1NqAbc";

    protected override string? ExpectedEventType => "invoice.paid";

    protected override Delivery Sign(string secret, DateTimeOffset sentAt) => SignBody(secret, sentAt, Body);

    private static Delivery SignBody(string secret, DateTimeOffset sentAt, string body)
    {
        var t = Unix(sentAt);
        return Delivery.Of(body, (StripeScheme.SignatureHeader, $"t={t},v1={HmacSha256Hex(secret, $"{t}.{body}")}"));
    }

    private static WebhookVerification VerifyFixture(string body, string header, DateTimeOffset receivedAt, string secret = "webhook_secret") =>
        new StripeScheme().Verify(
            Delivery.Of(body, (StripeScheme.SignatureHeader, header)).ToRequest(receivedAt),
            [Key("k1", secret)],
            WebhookSourceSettings.Default);

    [Fact]
    public void Verify_StripeDotnetFixture_IsVerifiedWithTheFixturesIdAndType()
    {
        var verification = VerifyFixture(DotnetFixtureBody, DotnetFixtureHeader, DotnetFixtureTime.AddSeconds(100));

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Equal("evt_123", verification.EventId);
        Assert.Equal("customer.created", verification.EventType);
    }

    [Fact]
    public void Verify_StripeDotnetFixtureReceived400SecondsLater_IsStale() =>
        Assert.Equal(WebhookRefusal.Stale, VerifyFixture(DotnetFixtureBody, DotnetFixtureHeader, DotnetFixtureTime.AddSeconds(400)).Refusal);

    [Fact]
    public void Verify_StripeDotnetFixtureWithChangedJson_IsBadSignature() =>
        Assert.Equal(
            WebhookRefusal.BadSignature,
            VerifyFixture(DotnetFixtureBody + "this_changes_the_json", DotnetFixtureHeader, DotnetFixtureTime.AddSeconds(100)).Refusal);

    [Fact]
    public void Verify_StripeDotnetFixtureWithCrLfLineEndings_IsBadSignature() =>
        Assert.Equal(
            WebhookRefusal.BadSignature,
            VerifyFixture(DotnetFixtureBody.Replace("\n", "\r\n", StringComparison.Ordinal), DotnetFixtureHeader, DotnetFixtureTime.AddSeconds(100)).Refusal);

    // stripe-dotnet EventUtilityTest.ValidateSignatureHandlesIncorrectHeaderValues, plus stripe-node's "bad_header".
    [Theory]
    [InlineData("t=,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7,v0=63f3a72374a733066c4be69ed7f8e5ac85c22c9f0a6a612ab9a025a9e4ee7eef")]
    [InlineData("t,v1=,v0=")]
    [InlineData("t,v1=,v0")]
    [InlineData("t,v1=,")]
    [InlineData("t,,")]
    [InlineData(",,")]
    [InlineData("t")]
    [InlineData("bad_header")]
    [InlineData("I'm not even a real signature header")]
    public void Verify_IncorrectHeaderValuesFromStripesLibraries_AreRefused(string header)
    {
        var verification = VerifyFixture("{}", header, DotnetFixtureTime);

        Assert.False(verification.IsVerified);
        Assert.Equal(WebhookRefusal.Malformed, verification.Refusal);
    }

    [Fact]
    public void Verify_OnlyAV0Signature_IsBadSignature()
    {
        // stripe-dotnet ValidateSignature_NoV1Signatures_ShouldThrow: v0 is computed the same way but is not accepted.
        var t = Unix(SentAt);
        var delivery = Delivery.Of(Body, (StripeScheme.SignatureHeader, $"t={t},v0={HmacSha256Hex(Secret, $"{t}.{Body}")}"));

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.BadSignature, delivery);
    }

    [Theory]
    [InlineData(",v1=deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef")]
    [InlineData(",v1=potato")]
    public void Verify_AnInvalidV1AlongsideAValidOne_IsVerified(string extra)
    {
        // stripe-dotnet MultipleSignatures_AtLeastOneValid and stripe-node "at least one valid signature".
        var genuine = Sign(Secret, SentAt);

        Assert.True(Verify(genuine.With(StripeScheme.SignatureHeader, genuine.Header(StripeScheme.SignatureHeader) + extra), PrimaryKey).IsVerified);
    }

    [Fact]
    public void Verify_AnInvalidV1BeforeAValidOne_IsVerified()
    {
        var t = Unix(SentAt);
        var header = $"t={t},v1={HmacSha256Hex(OtherSecret, $"{t}.{Body}")},v1={HmacSha256Hex(Secret, $"{t}.{Body}")}";

        var verification = Verify(Delivery.Of(Body, (StripeScheme.SignatureHeader, header)), PrimaryKey);

        Assert.True(verification.IsVerified, verification.Reason);
    }

    [Fact]
    public void Verify_TimestampChangedAfterSigning_IsBadSignature()
    {
        var genuine = Sign(Secret, SentAt);
        var forged = genuine.Header(StripeScheme.SignatureHeader).Replace($"t={Unix(SentAt)}", $"t={Unix(SentAt.AddSeconds(1))}", StringComparison.Ordinal);
        var delivery = genuine.With(StripeScheme.SignatureHeader, forged);

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.BadSignature, delivery);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("1.5")]
    [InlineData("+1764500000")]
    [InlineData("99999999999999999999")]
    public void Verify_TimestampNotAnInt64_IsMalformed(string t)
    {
        var delivery = Delivery.Of(Body, (StripeScheme.SignatureHeader, $"t={t},v1={HmacSha256Hex(Secret, $"{t}.{Body}")}"));

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.Malformed, delivery);
    }

    [Fact]
    public void Verify_TwoTimestamps_IsMalformed()
    {
        var genuine = Sign(Secret, SentAt);
        var delivery = genuine.With(StripeScheme.SignatureHeader, $"t=1,{genuine.Header(StripeScheme.SignatureHeader)}");

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.Malformed, delivery);
    }

    [Fact]
    public void Verify_MoreThan32Signatures_IsMalformed()
    {
        var genuine = Sign(Secret, SentAt);
        var padding = string.Concat(Enumerable.Repeat(",v1=" + new string('0', 64), 32));
        var delivery = genuine.With(StripeScheme.SignatureHeader, genuine.Header(StripeScheme.SignatureHeader) + padding);

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.Malformed, delivery);
    }

    [Fact]
    public void Verify_SignedBodyThatIsNotJson_IsVerifiedWithoutIdOrType()
    {
        var verification = Verify(SignBody(Secret, SentAt, "} I am not valid JSON; 123]["), PrimaryKey);

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Null(verification.EventId);
        Assert.Null(verification.EventType);
    }

    [Fact]
    public void Verify_SecretIsUsedAsItsUtf8Text_NotBase64Decoded()
    {
        // Stripe keys the HMAC with the whole "whsec_…" string; decoding it (as Standard Webhooks does) would never match.
        var verification = Verify(Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SentAt), Key("k1", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));

        Assert.True(verification.IsVerified, verification.Reason);
    }
}
