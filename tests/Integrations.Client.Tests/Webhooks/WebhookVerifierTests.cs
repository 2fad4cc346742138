using System.Net.Http.Headers;
using System.Text;
using Integrations.Client.Webhooks;
using Integrations.Core.OutboundWebhooks;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Client.Tests.Webhooks;

/// <summary>
/// <see cref="WebhookVerifier"/> with the Standard Webhooks spec's published vector (the one every Standard Webhooks and
/// Svix library signs in its tests), the reference libraries' invalid signatures, a flipped byte, a stale timestamp, a
/// rotated secret, and deliveries signed by the hub's own signer.
/// </summary>
public sealed class WebhookVerifierTests
{
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string VectorTimestamp = "1614265330";
    private const string VectorPayload = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    private static WebhookVerifierOptions At(DateTimeOffset now) => new() { TimeProvider = new FakeTimeProvider(now) };

    private static Dictionary<string, StringValues> Headers(string signature, string id = VectorId, string timestamp = VectorTimestamp) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["webhook-id"] = id, ["webhook-timestamp"] = timestamp, ["webhook-signature"] = signature,
    };

    [Fact]
    public void Verify_PublishedVector_ReturnsTheEvent()
    {
        var evt = WebhookVerifier.Verify(VectorSecret, Headers(VectorSignature), Encoding.UTF8.GetBytes(VectorPayload), At(VectorTime));

        Assert.Equal(VectorId, evt.Id);
        Assert.Equal(VectorTime, evt.Timestamp);
        Assert.Equal(VectorPayload, Encoding.UTF8.GetString(evt.Body.Span));
    }

    [Fact]
    public void Verify_PublishedVectorSecretWithoutPrefix_ReturnsTheEvent()
    {
        var evt = WebhookVerifier.Verify("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Headers(VectorSignature), Encoding.UTF8.GetBytes(VectorPayload), At(VectorTime));

        Assert.Equal(VectorId, evt.Id);
    }

    [Fact]
    public void Verify_PublishedMultiSignatureHeader_TriesEveryV1Entry()
    {
        var header = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + VectorSignature
            + " v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

        var evt = WebhookVerifier.Verify(VectorSecret, Headers(header), Encoding.UTF8.GetBytes(VectorPayload), At(VectorTime));

        Assert.Equal(VectorId, evt.Id);
    }

    [Theory]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLawdd")]
    [InlineData("v1,dawfeoifkpqwoekfpqoekf")]
    [InlineData("v1,g0hM9")]
    [InlineData("v1,")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    public void Verify_PublishedInvalidSignatures_Throw(string signature)
    {
        var error = Assert.Throws<WebhookVerificationException>(() =>
            WebhookVerifier.Verify(VectorSecret, Headers(signature), Encoding.UTF8.GetBytes(VectorPayload), At(VectorTime)));

        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, error.Failure);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(19)]
    public void Verify_OneFlippedBodyByte_Throws(int index)
    {
        var body = Encoding.UTF8.GetBytes(VectorPayload);
        body[index] ^= 0x01;

        var error = Assert.Throws<WebhookVerificationException>(() => WebhookVerifier.Verify(VectorSecret, Headers(VectorSignature), body, At(VectorTime)));

        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, error.Failure);
    }

    [Fact]
    public void Verify_AnotherMessageId_Throws()
    {
        Assert.Throws<WebhookVerificationException>(() =>
            WebhookVerifier.Verify(VectorSecret, Headers(VectorSignature, id: "msg_p5jXN8AQM9LWM0D4loKWxJeK"), Encoding.UTF8.GetBytes(VectorPayload), At(VectorTime)));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void Verify_TimestampOutsideTheTolerance_ThrowsEvenWithAValidSignature(int offsetSeconds)
    {
        var error = Assert.Throws<WebhookVerificationException>(() =>
            WebhookVerifier.Verify(VectorSecret, Headers(VectorSignature), Encoding.UTF8.GetBytes(VectorPayload), At(VectorTime.AddSeconds(offsetSeconds))));

        Assert.Equal(WebhookVerificationFailure.TimestampOutOfTolerance, error.Failure);
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public void Verify_TimestampWithinTheTolerance_ReturnsTheEvent(int offsetSeconds)
    {
        var evt = WebhookVerifier.Verify(VectorSecret, Headers(VectorSignature), Encoding.UTF8.GetBytes(VectorPayload), At(VectorTime.AddSeconds(offsetSeconds)));

        Assert.Equal(VectorId, evt.Id);
    }

    [Fact]
    public void Verify_TimestampNotUnixSeconds_Throws()
    {
        var error = Assert.Throws<WebhookVerificationException>(() =>
            WebhookVerifier.Verify(VectorSecret, Headers(VectorSignature, timestamp: "2021-02-25T15:02:10Z"), Encoding.UTF8.GetBytes(VectorPayload), At(VectorTime)));

        Assert.Equal(WebhookVerificationFailure.InvalidTimestamp, error.Failure);
    }

    [Fact]
    public void Verify_MissingSignatureHeader_Throws()
    {
        var headers = Headers(VectorSignature);
        headers.Remove("webhook-signature");

        var error = Assert.Throws<WebhookVerificationException>(() => WebhookVerifier.Verify(VectorSecret, headers, Encoding.UTF8.GetBytes(VectorPayload), At(VectorTime)));

        Assert.Equal(WebhookVerificationFailure.MissingHeaders, error.Failure);
    }

    [Fact]
    public void Verify_RotationOverlapSignedByBothSecrets_VerifiesWithEitherAloneAndWithBoth()
    {
        // Arrange: during a rotation the hub signs with the old and the new secret (StandardWebhookSigner).
        var old = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("the-old-endpoint-secret-0123456"));
        var @new = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("the-new-endpoint-secret-6543210"));
        var now = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);
        var body = Encoding.UTF8.GetBytes("""{"type":"connection.expired","timestamp":"2025-11-24T16:00:00Z","data":{"id":"con_1"}}""");
        var headers = StandardWebhookSigner.Headers("msg_rotation", now, body, [old, @new]).ToDictionary(h => h.Key, h => new StringValues(h.Value));

        // Act
        var withOld = WebhookVerifier.Verify(old, headers, body, At(now));
        var withNew = WebhookVerifier.Verify(@new, headers, body, At(now));
        var withBoth = WebhookVerifier.Verify([@new, old], headers, body, At(now));

        // Assert
        Assert.Equal("msg_rotation", withOld.Id);
        Assert.Equal("connection.expired", withNew.Type);
        Assert.Equal("msg_rotation", withBoth.Id);
    }

    [Fact]
    public void Verify_AfterRotationOnlyTheNewSecretSigns_TheOldSecretAloneThrowsAndBothVerify()
    {
        var old = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("the-old-endpoint-secret-0123456"));
        var @new = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("the-new-endpoint-secret-6543210"));
        var now = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);
        var body = Encoding.UTF8.GetBytes("""{"type":"ping"}""");
        var headers = StandardWebhookSigner.Headers("msg_after", now, body, [@new]).ToDictionary(h => h.Key, h => new StringValues(h.Value));

        Assert.Throws<WebhookVerificationException>(() => WebhookVerifier.Verify(old, headers, body, At(now)));
        Assert.Equal("msg_after", WebhookVerifier.Verify([old, @new], headers, body, At(now)).Id);
    }

    [Fact]
    public void Verify_HttpRequestMessageHeaders_ReadsTheThreeHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/hook");
        request.Headers.TryAddWithoutValidation("webhook-id", VectorId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", VectorTimestamp);
        request.Headers.TryAddWithoutValidation("webhook-signature", VectorSignature);
        HttpHeaders headers = request.Headers;

        var evt = WebhookVerifier.Verify(VectorSecret, headers, Encoding.UTF8.GetBytes(VectorPayload), At(VectorTime));

        Assert.Equal(VectorId, evt.Id);
    }

    [Fact]
    public void Verify_SecretNotBase64_ThrowsArgumentExceptionWithoutTheSecret()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            WebhookVerifier.Verify("whsec_not*base64!", Headers(VectorSignature), Encoding.UTF8.GetBytes(VectorPayload), At(VectorTime)));

        Assert.DoesNotContain("not*base64", error.Message, StringComparison.Ordinal);
    }
}
