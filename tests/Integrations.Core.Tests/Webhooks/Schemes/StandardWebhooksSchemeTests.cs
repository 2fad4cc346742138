using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SchemeTestKit;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>Standard Webhooks with its own <c>webhook-*</c> headers, and the reference libraries' vectors.</summary>
public class StandardWebhooksSchemeTests : WebhookSchemeContractTests
{
    // The vector every Standard Webhooks and Svix library signs in its tests (libraries/*/…, svix-webhooks/*/…).
    protected const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    protected const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    protected const string VectorTimestamp = "1614265330";
    protected const string VectorPayload = """{"test": 2432232314}""";
    protected const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    protected static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    protected const string MessageId = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    private const string Body = """{"type":"user.created","timestamp":"2025-11-30T10:13:20Z","data":{"id":"user_1"}}""";

    protected override IWebhookScheme Scheme { get; } = new StandardWebhooksScheme();

    protected override string Secret => VectorSecret;

    protected override string OtherSecret => "whsec_" + Convert.ToBase64String(Utf8("another-standard-webhooks-secret"));

    protected override bool SignsTime => true;

    protected virtual string IdHeader => StandardWebhooksScheme.IdHeader;

    protected virtual string TimestampHeader => StandardWebhooksScheme.TimestampHeader;

    protected override string SignatureHeader => StandardWebhooksScheme.SignatureHeader;

    protected override IReadOnlyList<string> RequiredHeaders => [IdHeader, TimestampHeader, SignatureHeader];

    protected override string? ExpectedEventId => MessageId;

    protected override string? ExpectedEventType => "user.created";

    protected override Delivery Sign(string secret, DateTimeOffset sentAt) => SignWith(secret, MessageId, Unix(sentAt), Body);

    protected Delivery SignWith(string secret, string id, string timestamp, string body) =>
        Delivery.Of(body, (IdHeader, id), (TimestampHeader, timestamp), (SignatureHeader, "v1," + Signature(secret, id, timestamp, Utf8(body))));

    protected static string Signature(string secret, string id, string timestamp, byte[] body) =>
        HmacSha256Base64(Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret), Concat($"{id}.{timestamp}.", body));

    protected Delivery VectorDelivery(string signature = VectorSignature) =>
        Delivery.Of(VectorPayload, (IdHeader, VectorId), (TimestampHeader, VectorTimestamp), (SignatureHeader, signature));

    [Fact]
    public void Verify_ReferenceVector_IsVerified()
    {
        var verification = Verify(VectorDelivery(), VectorTime, Key("k1", VectorSecret));

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Equal(VectorId, verification.EventId);
        Assert.Null(verification.EventType);
    }

    [Fact]
    public void Verify_ReferenceVectorWithTheSecretWithoutItsPrefix_IsVerified()
    {
        // "verification works with and without signature prefix": the bare base64 secret is the same key.
        Assert.True(Verify(VectorDelivery(), VectorTime, Key("k1", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).IsVerified);
    }

    [Fact]
    public void Verify_ReferenceMultiSignatureHeader_IsVerified()
    {
        // "multi sig payload is valid": a v2 entry and wrong v1 entries around the valid one.
        string[] signatures =
        [
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            VectorSignature,
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        ];

        Assert.True(Verify(VectorDelivery(string.Join(' ', signatures)), VectorTime, Key("k1", VectorSecret)).IsVerified);
    }

    [Theory]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLawdd")] // "invalid signature"
    [InlineData("v1,dawfeoifkpqwoekfpqoekf")] // "invalid signature"
    [InlineData("v1,g0hM9")] // "partial signature"
    [InlineData("v1,")] // "partial signature"
    [InlineData("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // the right bytes under another version
    [InlineData("v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    public void Verify_ReferenceInvalidSignatures_AreBadSignature(string signature)
    {
        var delivery = VectorDelivery(signature);

        AssertRefused(Verify(delivery, VectorTime, Key("k1", VectorSecret)), WebhookRefusal.BadSignature, delivery);
    }

    [Fact]
    public void Verify_ReferenceInvalidTimestamp_IsMalformed()
    {
        // "invalid timestamp throws error": webhook-timestamp "hello".
        var delivery = VectorDelivery().With(TimestampHeader, "hello");

        AssertRefused(Verify(delivery, VectorTime, Key("k1", VectorSecret)), WebhookRefusal.Malformed, delivery);
    }

    [Fact]
    public void Verify_V1aEntryBeforeTheValidV1_IsVerified()
    {
        var verification = Verify(VectorDelivery("v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== " + VectorSignature), VectorTime, Key("k1", VectorSecret));

        Assert.True(verification.IsVerified, verification.Reason);
    }

    [Fact]
    public void Verify_IdChangedAfterSigning_IsBadSignature()
    {
        var delivery = VectorDelivery().With(IdHeader, "msg_p5jXN8AQM9LWM0D4loKWxJeK");

        AssertRefused(Verify(delivery, VectorTime, Key("k1", VectorSecret)), WebhookRefusal.BadSignature, delivery);
    }

    [Fact]
    public void Verify_TimestampChangedAfterSigning_IsBadSignature()
    {
        var delivery = VectorDelivery().With(TimestampHeader, "1614265331");

        AssertRefused(Verify(delivery, VectorTime, Key("k1", VectorSecret)), WebhookRefusal.BadSignature, delivery);
    }

    [Fact]
    public void Verify_KeysThatAreNotBase64_AreBadSignatureSayingSo()
    {
        var verification = Verify(VectorDelivery(), VectorTime, Key("k1", "whsec_not*base64!"), Key("k2", "plain text secret"));

        Assert.Equal(WebhookRefusal.BadSignature, verification.Refusal);
        Assert.Contains("whsec_ followed by base64", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WebhookAndSvixHeadersBothSent_IsDuplicateHeader()
    {
        var delivery = VectorDelivery()
            .With(StandardWebhooksScheme.IdHeader, VectorId)
            .With(StandardWebhooksScheme.TimestampHeader, VectorTimestamp)
            .With(StandardWebhooksScheme.SignatureHeader, VectorSignature)
            .With(StandardWebhooksScheme.SvixIdHeader, VectorId)
            .With(StandardWebhooksScheme.SvixTimestampHeader, VectorTimestamp)
            .With(StandardWebhooksScheme.SvixSignatureHeader, VectorSignature);

        AssertRefused(Verify(delivery, VectorTime, Key("k1", VectorSecret)), WebhookRefusal.DuplicateHeader, delivery);
    }

    [Fact]
    public void Verify_WebhookAndSvixHeadersMixed_IsMalformed()
    {
        var delivery = Delivery.Of(
            VectorPayload,
            (StandardWebhooksScheme.SvixIdHeader, VectorId),
            (StandardWebhooksScheme.TimestampHeader, VectorTimestamp),
            (StandardWebhooksScheme.SignatureHeader, VectorSignature));

        AssertRefused(Verify(delivery, VectorTime, Key("k1", VectorSecret)), WebhookRefusal.Malformed, delivery);
    }

    [Fact]
    public void Recognizes_SvixSignatureHeader_IsTrue() =>
        Assert.True(Scheme.Recognizes(Delivery.Of("{}", (StandardWebhooksScheme.SvixSignatureHeader, VectorSignature)).ToRequest(VectorTime).Headers));
}

/// <summary>The same scheme as Svix, Resend and Clerk send it (<c>svix-*</c> headers), with Svix's library vectors.</summary>
public sealed class StandardWebhooksSvixHeadersTests : StandardWebhooksSchemeTests
{
    protected override string IdHeader => StandardWebhooksScheme.SvixIdHeader;

    protected override string TimestampHeader => StandardWebhooksScheme.SvixTimestampHeader;

    protected override string SignatureHeader => StandardWebhooksScheme.SvixSignatureHeader;

    // svix-webhooks csharp/Svix.Tests/WebhookTest.cs VerifyWebhookSignWithLargePayloadWorks: a payload of that many 'a'.
    [Theory]
    [InlineData(1024 * 1024, "v1,txpEUxqWZJ5nteTnymUVa+7C4NHpBeXJ6CsBAW0c3/A=")]
    [InlineData(256 * 1024, "v1,Mw4Pe2WgApuT7NSqnSq0PQPV9gbLdggCl9B865x5Xh0=")]
    [InlineData((256 * 1024) - 1, "v1,NTItnqyWMoFhk2Bbe5V/BMdcFRWgcSQaTgqLHX7FC7c=")]
    public void Verify_SvixLargePayloadVectors_AreVerified(int payloadSize, string signature)
    {
        var delivery = Delivery.Of(new string('a', payloadSize), (IdHeader, VectorId), (TimestampHeader, VectorTimestamp), (SignatureHeader, signature));

        var verification = Verify(delivery, VectorTime, Key("k1", VectorSecret));

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Equal(VectorId, verification.EventId);
    }

    [Fact]
    public void Verify_SvixLargePayloadVectorWithOneMoreByte_IsBadSignature()
    {
        var delivery = Delivery.Of(new string('a', (256 * 1024) + 1), (IdHeader, VectorId), (TimestampHeader, VectorTimestamp), (SignatureHeader, "v1,Mw4Pe2WgApuT7NSqnSq0PQPV9gbLdggCl9B865x5Xh0="));

        AssertRefused(Verify(delivery, VectorTime, Key("k1", VectorSecret)), WebhookRefusal.BadSignature, delivery);
    }
}
