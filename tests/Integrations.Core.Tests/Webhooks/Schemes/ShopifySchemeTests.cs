using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SchemeTestKit;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>Shopify publishes no signature vector: the cases below pin the encoding (base64, not hex) and the headers.</summary>
public sealed class ShopifySchemeTests : WebhookSchemeContractTests
{
    private const string Body = """{"id":820982911946154508,"email":"jon@example.com","total_price":"403.00"}""";

    protected override IWebhookScheme Scheme { get; } = new ShopifyScheme();

    protected override string Secret => "shpss_0123456789abcdef0123456789abcdef";

    protected override string OtherSecret => "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";

    protected override bool SignsTime => false;

    protected override string SignatureHeader => ShopifyScheme.SignatureHeader;

    protected override IReadOnlyList<string> RequiredHeaders => [ShopifyScheme.SignatureHeader];

    protected override string? ExpectedEventId => "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043";

    protected override string? ExpectedEventType => "orders/create";

    protected override Delivery Sign(string secret, DateTimeOffset sentAt) =>
        Delivery.Of(
            Body,
            (ShopifyScheme.SignatureHeader, HmacSha256Base64(Utf8(secret), Utf8(Body))),
            (ShopifyScheme.WebhookIdHeader, "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"),
            (ShopifyScheme.EventIdHeader, "98880550-7158-44d4-b7cd-2c97c8a091b5"),
            (ShopifyScheme.TopicHeader, "orders/create"),
            ("X-Shopify-Triggered-At", "2023-03-29T18:00:27.877041743Z"));

    [Fact]
    public void Verify_HexInsteadOfBase64_IsMalformed()
    {
        var delivery = Sign(Secret, SentAt).With(ShopifyScheme.SignatureHeader, HmacSha256Hex(Secret, Body));

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.Malformed, delivery);
    }

    [Fact]
    public void Verify_WithoutWebhookId_FallsBackToTheEventId()
    {
        var verification = Verify(Sign(Secret, SentAt).Without(ShopifyScheme.WebhookIdHeader), PrimaryKey);

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Equal("98880550-7158-44d4-b7cd-2c97c8a091b5", verification.EventId);
    }

    [Theory]
    [InlineData(ShopifyScheme.WebhookIdHeader)]
    [InlineData(ShopifyScheme.EventIdHeader)]
    [InlineData(ShopifyScheme.TopicHeader)]
    public void Verify_IdOrTopicSentTwice_IsDuplicateHeader(string header)
    {
        var delivery = Sign(Secret, SentAt).Duplicating(header);

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.DuplicateHeader, delivery);
    }

    [Fact]
    public void Verify_KnownDigest_IsVerified()
    {
        // HMAC-SHA256("hush", "{}") computed independently (openssl dgst -sha256 -hmac hush -binary | base64).
        var delivery = Delivery.Of("{}", (ShopifyScheme.SignatureHeader, "UFwgrGBPZilFtmKh8TqcovA78LGYb1BdWu9I4Q2oyRg="));

        Assert.True(Verify(delivery, Key("k1", "hush")).IsVerified);
    }
}
