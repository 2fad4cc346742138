using System.Globalization;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SchemeTestKit;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>Linear publishes no signature vector; its SDK (LinearWebhooks.verify) fixes the algorithm and the timestamp field.</summary>
public sealed class LinearSchemeTests : WebhookSchemeContractTests
{
    private const string DeliveryId = "234d1a4e-b617-4388-90fe-adc3633d6b72";

    protected override IWebhookScheme Scheme { get; } = new LinearScheme();

    protected override string Secret => "lin_wh_0123456789abcdefghijklmnopqrstuvwxyz";

    protected override string OtherSecret => "lin_wh_zyxwvutsrqponmlkjihgfedcba9876543210";

    protected override bool SignsTime => true;

    protected override string SignatureHeader => LinearScheme.SignatureHeader;

    protected override IReadOnlyList<string> RequiredHeaders => [LinearScheme.SignatureHeader];

    protected override string? ExpectedEventId => DeliveryId;

    protected override string? ExpectedEventType => "Issue.create";

    protected override Delivery Sign(string secret, DateTimeOffset sentAt) => SignBody(secret, IssueBody(sentAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));

    private static string IssueBody(string webhookTimestamp) =>
        $$"""{"action":"create","type":"Issue","data":{"id":"2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9","title":"Bug"},"url":"https://linear.app/x/issue/ENG-1","createdAt":"2025-11-30T10:13:20.000Z","webhookTimestamp":{{webhookTimestamp}},"webhookId":"000042e3-d123-4980-b49f-8e140eef9329"}""";

    private static Delivery SignBody(string secret, string body, string eventName = "Issue") =>
        Delivery.Of(
            body,
            (LinearScheme.SignatureHeader, HmacSha256Hex(secret, body)),
            (LinearScheme.DeliveryHeader, DeliveryId),
            (LinearScheme.EventHeader, eventName));

    [Fact]
    public void Verify_WebhookTimestampOneMillisecondPastTheTolerance_IsStale()
    {
        var delivery = SignBody(Secret, IssueBody(SentAt.AddMilliseconds(-300_001).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.Stale, delivery);
    }

    [Fact]
    public void Verify_WebhookTimestampReadAsMilliseconds_NotSeconds()
    {
        // The same instant in seconds would be 1970 in milliseconds: stale, not accepted.
        var delivery = SignBody(Secret, IssueBody(SentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

        Assert.Equal(WebhookRefusal.Stale, Verify(delivery, PrimaryKey).Refusal);
    }

    [Fact]
    public void Verify_WithoutWebhookTimestamp_IsMalformed()
    {
        var delivery = SignBody(Secret, """{"action":"create","type":"Issue","data":{"id":"1"}}""");

        Assert.Equal(WebhookRefusal.Malformed, Verify(delivery, PrimaryKey).Refusal);
    }

    [Theory]
    [InlineData("\"1764500000000\"")]
    [InlineData("1764500000000.5")]
    [InlineData("99999999999999999999999")]
    [InlineData("null")]
    public void Verify_WebhookTimestampNotAnInt64_IsMalformed(string value)
    {
        var delivery = SignBody(Secret, IssueBody(value));

        Assert.Equal(WebhookRefusal.Malformed, Verify(delivery, PrimaryKey).Refusal);
    }

    [Fact]
    public void Verify_SignedBodyThatIsNotJson_IsMalformed()
    {
        var delivery = SignBody(Secret, "not json");

        Assert.Equal(WebhookRefusal.Malformed, Verify(delivery, PrimaryKey).Refusal);
    }

    [Fact]
    public void Verify_OAuthAppRevoked_HasTypeAndAction()
    {
        var ms = SentAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var body = $$"""{"action":"revoked","type":"OAuthApp","oauthClientId":"c1","organizationId":"o1","webhookTimestamp":{{ms}}}""";

        var verification = Verify(SignBody(Secret, body, "OAuthApp"), PrimaryKey);

        Assert.Equal("OAuthApp.revoked", verification.EventType);
    }

    [Fact]
    public void Verify_BodyWithoutType_FallsBackToTheEventHeader()
    {
        var ms = SentAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        var verification = Verify(SignBody(Secret, $$"""{"webhookTimestamp":{{ms}}}""", "Comment"), PrimaryKey);

        Assert.Equal("Comment", verification.EventType);
    }

    [Theory]
    [InlineData(LinearScheme.DeliveryHeader)]
    [InlineData(LinearScheme.EventHeader)]
    public void Verify_DeliveryOrEventHeaderSentTwice_IsDuplicateHeader(string header)
    {
        var delivery = Sign(Secret, SentAt).Duplicating(header);

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.DuplicateHeader, delivery);
    }

    [Fact]
    public void Verify_SignatureNotHex_IsMalformed()
    {
        var genuine = Sign(Secret, SentAt);
        var delivery = genuine.With(LinearScheme.SignatureHeader, "sha256=" + genuine.Header(LinearScheme.SignatureHeader));

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.Malformed, delivery);
    }
}
