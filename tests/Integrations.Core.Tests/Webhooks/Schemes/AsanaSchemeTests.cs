using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SchemeTestKit;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>Asana publishes the handshake example (developers.asana.com "Establish a webhook") but no signature vector.</summary>
public sealed class AsanaSchemeTests : WebhookSchemeContractTests
{
    private const string DocHookSecret = "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81";
    private const string Body = """{"events":[{"action":"changed","resource":{"gid":"1199","resource_type":"task"},"user":{"gid":"1","resource_type":"user"}}]}""";

    protected override IWebhookScheme Scheme { get; } = new AsanaScheme();

    protected override string Secret => DocHookSecret;

    protected override string OtherSecret => "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";

    protected override bool SignsTime => false;

    protected override string SignatureHeader => AsanaScheme.SignatureHeader;

    protected override IReadOnlyList<string> RequiredHeaders => [AsanaScheme.SignatureHeader];

    protected override string? ExpectedEventId => null;

    protected override string? ExpectedEventType => null;

    protected override Delivery Sign(string secret, DateTimeOffset sentAt) =>
        Delivery.Of(Body, (AsanaScheme.SignatureHeader, HmacSha256Hex(secret, Body)));

    private static Delivery Handshake(string secret = DocHookSecret) => Delivery.Of(string.Empty, (AsanaScheme.SecretHeader, secret));

    [Fact]
    public void Verify_DocumentedHandshakeWhileTheSourceHasNoSecret_EchoesTheSecretAndHandsItOver()
    {
        var verification = Verify(Handshake());

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.NotNull(verification.Challenge);
        Assert.NotNull(verification.Challenge.Headers);
        Assert.Equal(DocHookSecret, verification.Challenge.Headers[AsanaScheme.SecretHeader]);
        Assert.Equal(string.Empty, verification.Challenge.Body);
        Assert.Equal(DocHookSecret, verification.NewSigningSecret);
        Assert.Null(verification.KeyId);
        Assert.Null(verification.EventId);
    }

    [Fact]
    public void Verify_DeliveryAfterTheHandshake_IsVerifiedWithTheHandedOverSecret()
    {
        var handshake = Verify(Handshake());
        var key = Key("k1", handshake.NewSigningSecret!);

        var verification = Verify(Sign(DocHookSecret, SentAt), key);

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Equal("k1", verification.KeyId);
    }

    [Fact]
    public void Verify_HandshakeWhileTheSourceHasASecret_IsRefusedAndHandsNothingOver()
    {
        // An attacker who knows the URL must not be able to swap the secret for one of their own.
        const string attackers = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        var delivery = Handshake(attackers);

        var verification = Verify(delivery, PrimaryKey);

        AssertRefused(verification, WebhookRefusal.BadSignature, delivery);
        Assert.Null(verification.Challenge);
        Assert.Null(verification.NewSigningSecret);
        Assert.DoesNotContain(attackers, verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HandshakeWithAForgedSignatureWhileTheSourceHasASecret_IsRefused()
    {
        var delivery = Sign(Secret, SentAt).With(AsanaScheme.SecretHeader, OtherSecret);

        var verification = Verify(delivery, PrimaryKey);

        Assert.Equal(WebhookRefusal.BadSignature, verification.Refusal);
        Assert.Null(verification.NewSigningSecret);
    }

    [Fact]
    public void Verify_HandshakeSecretSentTwice_IsDuplicateHeader()
    {
        var delivery = Handshake().Duplicating(AsanaScheme.SecretHeader);

        AssertRefused(Verify(delivery), WebhookRefusal.DuplicateHeader, delivery);
    }

    [Theory]
    [InlineData("abc\r\nSet-Cookie: x=1")]
    [InlineData("with space")]
    [InlineData("é")]
    public void Verify_HandshakeSecretThatIsNotAPlainToken_IsMalformed(string secret)
    {
        var verification = Verify(Handshake(secret));

        Assert.Equal(WebhookRefusal.Malformed, verification.Refusal);
        Assert.Null(verification.NewSigningSecret);
    }

    [Fact]
    public void Verify_HandshakeSecretLongerThan512_IsMalformed() =>
        Assert.Equal(WebhookRefusal.Malformed, Verify(Handshake(new string('a', 513))).Refusal);

    [Fact]
    public void Verify_EmptyHandshakeSecret_IsMissingHeader() =>
        Assert.Equal(WebhookRefusal.MissingHeader, Verify(Handshake(string.Empty)).Refusal);

    [Fact]
    public void Verify_NoSecretYetAndNoHandshake_IsRefused()
    {
        var delivery = Sign(Secret, SentAt);

        AssertRefused(Verify(delivery), WebhookRefusal.BadSignature, delivery);
    }

    [Fact]
    public void Recognizes_HandshakeAlone_IsTrue() => Assert.True(Scheme.Recognizes(Handshake().ToRequest(SentAt).Headers));
}
