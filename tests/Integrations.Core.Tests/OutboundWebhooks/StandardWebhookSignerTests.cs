using System.Text;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Tests.Webhooks.Schemes;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;

namespace Integrations.Core.Tests.OutboundWebhooks;

public sealed class StandardWebhookSignerTests
{
    // The Standard Webhooks specification's published vector (the libraries' "sign" tests, standard-webhooks/libraries).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string VectorPayload = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    private const string OtherSecret = "whsec_c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA==";

    [Fact]
    public void Headers_SpecVector_MatchesThePublishedSignature()
    {
        // Act
        var headers = StandardWebhookSigner.Headers(VectorId, VectorTime, Encoding.UTF8.GetBytes(VectorPayload), [VectorSecret]);

        // Assert
        Assert.Equal(VectorId, Value(headers, "webhook-id"));
        Assert.Equal("1614265330", Value(headers, "webhook-timestamp"));
        Assert.Equal(VectorSignature, Value(headers, "webhook-signature"));
    }

    [Fact]
    public void Sign_SecretWithoutPrefix_SignsWithTheSameKey() =>
        Assert.Equal(VectorSignature, StandardWebhookSigner.Sign(VectorId, "1614265330", Encoding.UTF8.GetBytes(VectorPayload), ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]));

    [Fact]
    public void Sign_TwoSecretsDuringARotation_ListsOneEntryPerSecretInOrder()
    {
        // Act
        var signature = StandardWebhookSigner.Sign(VectorId, "1614265330", Encoding.UTF8.GetBytes(VectorPayload), [OtherSecret, VectorSecret]);

        // Assert
        var entries = signature.Split(' ');
        Assert.Equal(2, entries.Length);
        Assert.StartsWith("v1,", entries[0], StringComparison.Ordinal);
        Assert.NotEqual(VectorSignature, entries[0]);
        Assert.Equal(VectorSignature, entries[1]);
    }

    [Theory]
    [InlineData(VectorSecret)]
    [InlineData(OtherSecret)]
    public void Headers_EitherSecretOfARotation_VerifiesWithTheInboundScheme(string receiverSecret)
    {
        // Arrange: a receiver holding only one of the two secrets, checked by the hub's own inbound verifier.
        var now = DateTimeOffset.FromUnixTimeSeconds(1_764_500_000);
        var body = Encoding.UTF8.GetBytes("""{"type":"invoice.paid","timestamp":"2025-11-30T10:13:20Z","data":{"id":1}}""");
        var headers = StandardWebhookSigner.Headers("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", now, body, [OtherSecret, VectorSecret]);
        var request = new Delivery(headers, body).ToRequest(now);

        // Act
        var verification = new StandardWebhooksScheme().Verify(request, [new WebhookSigningKey("k1", receiverSecret, null)], WebhookSourceSettings.Default);

        // Assert
        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Equal("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", verification.EventId);
    }

    [Fact]
    public void Sign_BodyChangedAfterSigning_NoLongerVerifies()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_764_500_000);
        var headers = StandardWebhookSigner.Headers("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", now, Encoding.UTF8.GetBytes("""{"a":1}"""), [VectorSecret]);
        var request = new Delivery(headers, Encoding.UTF8.GetBytes("""{"a":2}""")).ToRequest(now);

        var verification = new StandardWebhooksScheme().Verify(request, [new WebhookSigningKey("k1", VectorSecret, null)], WebhookSourceSettings.Default);

        Assert.False(verification.IsVerified);
    }

    [Fact]
    public void Sign_SecretThatIsNotBase64_ThrowsWithoutTheValue()
    {
        const string secret = "whsec_not*base64!";

        var error = Assert.Throws<ArgumentException>(() => StandardWebhookSigner.Sign(VectorId, "1614265330", [1], [secret]));

        Assert.DoesNotContain("not*base64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_NoSecret_Throws() =>
        Assert.Throws<ArgumentException>(() => StandardWebhookSigner.Sign(VectorId, "1614265330", [1], []));

    private static string Value(IReadOnlyList<KeyValuePair<string, string>> headers, string name) =>
        Assert.Single(headers, h => string.Equals(h.Key, name, StringComparison.Ordinal)).Value;
}
