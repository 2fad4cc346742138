using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SchemeTestKit;

namespace Integrations.Core.Tests.Webhooks.Schemes;

public sealed class GitHubSchemeTests : WebhookSchemeContractTests
{
    private const string Body = """{"action":"deleted","installation":{"id":1234},"sender":{"login":"octocat"}}""";
    private const string DeliveryId = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

    protected override IWebhookScheme Scheme { get; } = new GitHubScheme();

    protected override string Secret => "It's a Secret to Everybody";

    protected override string OtherSecret => "another github secret";

    protected override bool SignsTime => false;

    protected override string SignatureHeader => GitHubScheme.SignatureHeader;

    protected override IReadOnlyList<string> RequiredHeaders => [GitHubScheme.SignatureHeader];

    protected override string? ExpectedEventId => DeliveryId;

    protected override string? ExpectedEventType => "installation.deleted";

    protected override Delivery Sign(string secret, DateTimeOffset sentAt) => SignBody(secret, Body, "installation");

    private static Delivery SignBody(string secret, string body, string eventName) =>
        Delivery.Of(
            body,
            (GitHubScheme.SignatureHeader, "sha256=" + HmacSha256Hex(secret, body)),
            (GitHubScheme.DeliveryHeader, DeliveryId),
            (GitHubScheme.EventHeader, eventName));

    [Fact]
    public void Verify_GitHubDocumentedExample_IsVerified()
    {
        // docs.github.com "Testing the webhook payload validation": secret "It's a Secret to Everybody", payload "Hello, World!".
        var delivery = Delivery.Of(
            "Hello, World!",
            (GitHubScheme.SignatureHeader, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));

        var verification = Verify(delivery, Key("k1", "It's a Secret to Everybody"));

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Null(verification.EventId);
        Assert.Null(verification.EventType);
    }

    [Fact]
    public void Verify_GitHubDocumentedExampleWithUpperCaseHex_IsVerified()
    {
        var delivery = Delivery.Of(
            "Hello, World!",
            (GitHubScheme.SignatureHeader, "sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17"));

        Assert.True(Verify(delivery, Key("k1", "It's a Secret to Everybody")).IsVerified);
    }

    [Fact]
    public void Verify_GitHubDocumentedExampleWithAnotherPayload_IsBadSignature()
    {
        var delivery = Delivery.Of(
            "Hello, World?",
            (GitHubScheme.SignatureHeader, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));

        AssertRefused(Verify(delivery, Key("k1", "It's a Secret to Everybody")), WebhookRefusal.BadSignature, delivery);
    }

    [Theory]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")] // no prefix
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e")] // short
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17aa")] // long
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void Verify_SignatureNotSha256Hex_IsMalformed(string signature)
    {
        var delivery = Delivery.Of("Hello, World!", (GitHubScheme.SignatureHeader, signature));

        AssertRefused(Verify(delivery, Key("k1", "It's a Secret to Everybody")), WebhookRefusal.Malformed, delivery);
    }

    [Fact]
    public void Verify_LegacySha1HeaderOnly_IsMissingHeader()
    {
        var delivery = Delivery.Of("Hello, World!", ("X-Hub-Signature", "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59"));

        AssertRefused(Verify(delivery, Key("k1", "It's a Secret to Everybody")), WebhookRefusal.MissingHeader, delivery);
    }

    [Theory]
    [InlineData("""{"action":"revoked","sender":{"login":"octocat"}}""", "github_app_authorization", "github_app_authorization.revoked")]
    [InlineData("""{"ref":"refs/heads/main","action":{"not":"a string"}}""", "push", "push")]
    [InlineData("""{"ref":"refs/heads/main"}""", "push", "push")]
    [InlineData("""{"zen":"Keep it logically awesome.","hook_id":1}""", "ping", "ping")]
    public void Verify_EventType_IsTheEventHeaderAndTheBodysAction(string body, string eventName, string expectedType)
    {
        var verification = Verify(SignBody(Secret, body, eventName), PrimaryKey);

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Equal(expectedType, verification.EventType);
    }

    [Theory]
    [InlineData(GitHubScheme.DeliveryHeader)]
    [InlineData(GitHubScheme.EventHeader)]
    public void Verify_DeliveryOrEventHeaderSentTwice_IsDuplicateHeader(string header)
    {
        var delivery = Sign(Secret, SentAt).Duplicating(header);

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.DuplicateHeader, delivery);
    }

    [Fact]
    public void Verify_WithoutDeliveryHeader_IsVerifiedWithoutAnId()
    {
        var verification = Verify(Sign(Secret, SentAt).Without(GitHubScheme.DeliveryHeader), PrimaryKey);

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Null(verification.EventId);
    }
}
