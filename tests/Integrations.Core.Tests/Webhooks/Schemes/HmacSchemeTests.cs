using System.Security.Cryptography;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SchemeTestKit;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>The generic scheme signing the body alone: SHA-256, hex, a <c>sha256=</c> prefix, the id in a header.</summary>
public sealed class HmacSchemeTests : WebhookSchemeContractTests
{
    private const string Body = """{"event":{"id":42,"type":"order.shipped"},"data":{"order":"o_1"}}""";

    protected override IWebhookScheme Scheme { get; } = new HmacScheme();

    protected override WebhookSourceSettings Settings { get; } = new(
        Hmac: new HmacSchemeSettings("X-Acme-Signature", "sha256", "hex", "sha256="),
        EventIdHeader: "X-Acme-Delivery",
        EventTypePointer: "/event/type");

    protected override string Secret => "acme-signing-secret";

    protected override string OtherSecret => "someone-elses-secret";

    protected override bool SignsTime => false;

    protected override bool Sniffable => false;

    protected override string SignatureHeader => "X-Acme-Signature";

    protected override IReadOnlyList<string> RequiredHeaders => ["X-Acme-Signature"];

    protected override string? ExpectedEventId => "dlv_1";

    protected override string? ExpectedEventType => "order.shipped";

    protected override Delivery Sign(string secret, DateTimeOffset sentAt) =>
        Delivery.Of(Body, ("X-Acme-Signature", "sha256=" + HmacSha256Hex(secret, Body)), ("X-Acme-Delivery", "dlv_1"));

    private WebhookVerification VerifyWith(WebhookSourceSettings settings, Delivery delivery) =>
        Scheme.Verify(delivery.ToRequest(SentAt), [PrimaryKey], settings);

    [Fact]
    public void Verify_WithoutHmacSettings_IsMalformedSayingWhatToSet()
    {
        var verification = VerifyWith(WebhookSourceSettings.Default, Sign(Secret, SentAt));

        Assert.Equal(WebhookRefusal.Malformed, verification.Refusal);
        Assert.Contains("settings.hmac", verification.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("md5", "hex")]
    [InlineData("sha256", "base32")]
    [InlineData("", "hex")]
    public void Verify_UnsupportedAlgorithmOrEncoding_IsMalformed(string algorithm, string encoding)
    {
        var settings = Settings with { Hmac = Settings.Hmac! with { Algorithm = algorithm, Encoding = encoding } };

        Assert.Equal(WebhookRefusal.Malformed, VerifyWith(settings, Sign(Secret, SentAt)).Refusal);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("/a~2b")]
    public void Verify_PointerThatIsNotRfc6901_IsMalformed(string jsonPointer) =>
        Assert.Equal(WebhookRefusal.Malformed, VerifyWith(Settings with { EventTypePointer = jsonPointer }, Sign(Secret, SentAt)).Refusal);

    [Fact]
    public void Verify_MissingPrefix_IsMalformed()
    {
        var delivery = Delivery.Of(Body, ("X-Acme-Signature", HmacSha256Hex(Secret, Body)));

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.Malformed, delivery);
    }

    [Fact]
    public void Verify_Sha1Base64WithoutPrefix_IsVerified()
    {
        var settings = new WebhookSourceSettings(Hmac: new HmacSchemeSettings("X-Sig", "SHA1", "Base64"));
#pragma warning disable CA5350 // The test signs as a provider using HMAC-SHA1 would.
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Utf8(Secret), Utf8(Body)));
#pragma warning restore CA5350

        var verification = VerifyWith(settings, Delivery.Of(Body, ("X-Sig", signature)));

        Assert.True(verification.IsVerified, verification.Reason);
    }

    [Fact]
    public void Verify_Sha256SignatureWhenSha512IsConfigured_IsMalformed()
    {
        var settings = Settings with { Hmac = Settings.Hmac! with { Algorithm = "sha512" } };

        Assert.Equal(WebhookRefusal.Malformed, VerifyWith(settings, Sign(Secret, SentAt)).Refusal);
    }

    [Fact]
    public void Verify_IdFromAPointerToANumber_IsTheNumbersText()
    {
        var settings = Settings with { EventIdHeader = null, EventIdPointer = "/event/id" };

        var verification = VerifyWith(settings, Sign(Secret, SentAt).Without("X-Acme-Delivery"));

        Assert.Equal("42", verification.EventId);
    }

    [Fact]
    public void Verify_IdHeaderAbsent_FallsBackToThePointer()
    {
        var settings = Settings with { EventIdPointer = "/event/id" };

        var verification = VerifyWith(settings, Sign(Secret, SentAt).Without("X-Acme-Delivery"));

        Assert.Equal("42", verification.EventId);
    }

    [Fact]
    public void Verify_IdHeaderSentTwice_IsDuplicateHeader()
    {
        var delivery = Sign(Secret, SentAt).Duplicating("X-Acme-Delivery");

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.DuplicateHeader, delivery);
    }

    [Fact]
    public void Verify_PointerToNothing_GivesNoType()
    {
        var verification = VerifyWith(Settings with { EventTypePointer = "/event/kind" }, Sign(Secret, SentAt));

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Null(verification.EventType);
    }
}

/// <summary>The generic scheme with a timestamp header: SHA-512, base64, <c>{timestamp}:{body}</c>, id and type from the body.</summary>
public sealed class HmacTimestampedSchemeTests : WebhookSchemeContractTests
{
    private const string Body = """{"id":"evt_9","type":"payment.settled","amount":1200}""";

    protected override IWebhookScheme Scheme { get; } = new HmacScheme();

    protected override WebhookSourceSettings Settings { get; } = new(
        Hmac: new HmacSchemeSettings("X-Signature", "sha512", "base64", TimestampHeader: "X-Timestamp", Separator: ":"),
        EventIdPointer: "/id",
        EventTypePointer: "/type");

    protected override string Secret => "pay-signing-secret";

    protected override string OtherSecret => "pay-other-secret";

    protected override bool SignsTime => true;

    protected override bool Sniffable => false;

    protected override string SignatureHeader => "X-Signature";

    protected override IReadOnlyList<string> RequiredHeaders => ["X-Signature", "X-Timestamp"];

    protected override string? ExpectedEventId => "evt_9";

    protected override string? ExpectedEventType => "payment.settled";

    protected override Delivery Sign(string secret, DateTimeOffset sentAt)
    {
        var t = Unix(sentAt);
        var signature = Convert.ToBase64String(HMACSHA512.HashData(Utf8(secret), Concat(t + ":", Utf8(Body))));
        return Delivery.Of(Body, ("X-Signature", signature), ("X-Timestamp", t));
    }

    [Fact]
    public void Verify_TimestampChangedAfterSigning_IsBadSignature()
    {
        var delivery = Sign(Secret, SentAt).With("X-Timestamp", Unix(SentAt.AddSeconds(-1)));

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.BadSignature, delivery);
    }

    [Theory]
    [InlineData("2025-11-30T10:13:20Z")]
    [InlineData("99999999999999999999")]
    [InlineData("1764500000.0")]
    public void Verify_TimestampNotAnInt64_IsMalformed(string timestamp)
    {
        var delivery = Sign(Secret, SentAt).With("X-Timestamp", timestamp);

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.Malformed, delivery);
    }

    [Fact]
    public void Verify_SignedWithAnotherSeparator_IsBadSignature()
    {
        var t = Unix(SentAt);
        var signature = Convert.ToBase64String(HMACSHA512.HashData(Utf8(Secret), Concat(t + ".", Utf8(Body))));
        var delivery = Delivery.Of(Body, ("X-Signature", signature), ("X-Timestamp", t));

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.BadSignature, delivery);
    }
}
