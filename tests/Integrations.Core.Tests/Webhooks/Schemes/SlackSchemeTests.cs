using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SchemeTestKit;

namespace Integrations.Core.Tests.Webhooks.Schemes;

public sealed class SlackSchemeTests : WebhookSchemeContractTests
{
    // api.slack.com/authentication/verifying-requests-from-slack: the documented slash-command request.
    private const string DocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string DocTimestamp = "1531420618";
    private const string DocBody =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar" +
        "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=" +
        "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN" +
        "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly DateTimeOffset DocTime = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    private const string Body =
        """{"token":"XXYYZZ","team_id":"T061EG9R6","api_app_id":"A0PNCHHK2","event":{"type":"tokens_revoked","tokens":{"oauth":["UXXXXXXXX"],"bot":[]}},"type":"event_callback","event_id":"Ev0PV52K21","event_time":1764500000}""";

    protected override IWebhookScheme Scheme { get; } = new SlackScheme();

    protected override string Secret => DocSecret;

    protected override string OtherSecret => "0123456789abcdef0123456789abcdef";

    protected override bool SignsTime => true;

    protected override string SignatureHeader => SlackScheme.SignatureHeader;

    protected override IReadOnlyList<string> RequiredHeaders => [SlackScheme.SignatureHeader, SlackScheme.TimestampHeader];

    protected override string? ExpectedEventId => "Ev0PV52K21";

    protected override string? ExpectedEventType => "tokens_revoked";

    protected override Delivery Sign(string secret, DateTimeOffset sentAt) => SignBody(secret, Unix(sentAt), Body);

    private static Delivery SignBody(string secret, string timestamp, string body) =>
        Delivery.Of(
            body,
            (SlackScheme.SignatureHeader, "v0=" + HmacSha256Hex(secret, $"v0:{timestamp}:{body}")),
            (SlackScheme.TimestampHeader, timestamp));

    private static Delivery DocDelivery() =>
        Delivery.Of(DocBody, (SlackScheme.SignatureHeader, DocSignature), (SlackScheme.TimestampHeader, DocTimestamp));

    [Fact]
    public void Verify_SlackDocumentedExample_IsVerified()
    {
        var verification = Verify(DocDelivery(), DocTime.AddSeconds(30), Key("k1", DocSecret));

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Null(verification.EventId);
        Assert.Null(verification.EventType);
        Assert.Null(verification.Challenge);
    }

    [Fact]
    public void Verify_SlackDocumentedExampleWithTheTimestampChanged_IsBadSignature()
    {
        var delivery = DocDelivery().With(SlackScheme.TimestampHeader, "1531420619");

        AssertRefused(Verify(delivery, DocTime, Key("k1", DocSecret)), WebhookRefusal.BadSignature, delivery);
    }

    [Fact]
    public void Verify_SlackDocumentedExampleSixMinutesLater_IsStale()
    {
        var delivery = DocDelivery();

        AssertRefused(Verify(delivery, DocTime.AddMinutes(6), Key("k1", DocSecret)), WebhookRefusal.Stale, delivery);
    }

    [Fact]
    public void Verify_UrlVerification_IsAnsweredWithTheChallengeAsPlainText()
    {
        // api.slack.com/events/url_verification: the documented request body.
        const string body = """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""";

        var verification = Verify(SignBody(Secret, Unix(SentAt), body), PrimaryKey);

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.NotNull(verification.Challenge);
        Assert.Equal("text/plain", verification.Challenge.ContentType);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", verification.Challenge.Body);
        Assert.Equal("k1", verification.KeyId);
        Assert.Null(verification.EventId);
    }

    [Fact]
    public void Verify_UrlVerificationWithABadSignature_IsNotAnswered()
    {
        const string body = """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""";
        var delivery = SignBody(OtherSecret, Unix(SentAt), body);

        var verification = Verify(delivery, PrimaryKey);

        AssertRefused(verification, WebhookRefusal.BadSignature, delivery);
        Assert.Null(verification.Challenge);
    }

    [Fact]
    public void Verify_UrlVerificationStale_IsNotAnswered()
    {
        const string body = """{"challenge":"abc","type":"url_verification"}""";
        var delivery = SignBody(Secret, Unix(SentAt.AddSeconds(-301)), body);

        var verification = Verify(delivery, PrimaryKey);

        AssertRefused(verification, WebhookRefusal.Stale, delivery);
        Assert.Null(verification.Challenge);
    }

    [Fact]
    public void Verify_UrlVerificationWithoutChallenge_IsMalformed()
    {
        var delivery = SignBody(Secret, Unix(SentAt), """{"type":"url_verification"}""");

        Assert.Equal(WebhookRefusal.Malformed, Verify(delivery, PrimaryKey).Refusal);
    }

    [Fact]
    public void Verify_AppUninstalledCallback_HasTheInnerEventType()
    {
        const string body = """{"type":"event_callback","event_id":"Ev0AU1","event":{"type":"app_uninstalled"}}""";

        var verification = Verify(SignBody(Secret, Unix(SentAt), body), PrimaryKey);

        Assert.Equal(("Ev0AU1", "app_uninstalled"), (verification.EventId, verification.EventType));
    }

    [Fact]
    public void Verify_InteractivityFormPayload_HasThePayloadsType()
    {
        const string body = "payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%7B%22id%22%3A%22U1%22%7D%2C%22text%22%3A%22a+b%22%7D";

        var verification = Verify(SignBody(Secret, Unix(SentAt), body), PrimaryKey);

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Null(verification.EventId);
        Assert.Equal("block_actions", verification.EventType);
    }

    [Fact]
    public void Verify_AppRateLimitedEnvelope_HasTheOuterType()
    {
        const string body = """{"token":"x","type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820,"api_app_id":"A1"}""";

        var verification = Verify(SignBody(Secret, Unix(SentAt), body), PrimaryKey);

        Assert.Equal((null, "app_rate_limited"), (verification.EventId, verification.EventType));
    }

    [Theory]
    [InlineData("a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd2751966648")]
    public void Verify_SignatureNotV0Hex_IsMalformed(string signature)
    {
        var delivery = DocDelivery().With(SlackScheme.SignatureHeader, signature);

        AssertRefused(Verify(delivery, DocTime, Key("k1", DocSecret)), WebhookRefusal.Malformed, delivery);
    }

    [Theory]
    [InlineData("1531420618.5")]
    [InlineData("-1531420618")]
    [InlineData("153142061800000000000")]
    [InlineData("now")]
    public void Verify_TimestampNotAnInt64_IsMalformed(string timestamp)
    {
        var delivery = SignBody(DocSecret, timestamp, DocBody);

        AssertRefused(Verify(delivery, DocTime, Key("k1", DocSecret)), WebhookRefusal.Malformed, delivery);
    }
}
