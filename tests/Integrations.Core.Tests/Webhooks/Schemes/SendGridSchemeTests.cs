using System.Globalization;
using System.Security.Cryptography;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SignedRequests;

namespace Integrations.Core.Tests.Webhooks.Schemes;

public sealed class SendGridSchemeTests : IDisposable
{
    // sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js: SendGrid's published keys, signatures and bodies.
    private const string SdkKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
    private const string SdkSignature = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=";
    private const long SdkTimestamp = 1600112502;
    private const string SdkBody = "[{\"email\":\"hello@world.com\",\"event\":\"dropped\",\"reason\":\"Bounced Address\",\"sg_event_id\":\"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA\",\"sg_message_id\":\"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\",\"smtp-id\":\"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>\",\"timestamp\":1600112492}]\r\n";

    private const string SdkKeyMultiple = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQ4LIFtWztlsF7skFqOncjD1lun4H5w8XOhyOArHW9RcIx/FfEzx6cikC/yPfUvwaX/JScE7Fc9CJD2afQ9Ok3Q==";
    private const string SdkSignatureMultiple = "MEYCIQC/I4o6vCgqRYrTljjoVWB/GRWNtxeePlLMHr3x9ETeRQIhAIpV+03nREPTTHWSW0wIOA0EoMPdcNgXa70yCaqDJlu5";
    private const long SdkTimestampMultiple = 1619651159;
    private const string SdkBodyMultiple = "[{\"email\":\"invalid@gmail.com\",\"event\":\"processed\",\"send_at\":0,\"sg_event_id\":\"cHJvY2Vzc2VkLTE5OTQyMTEyLXFOd0JMZ1BRUWpXNkRKdktRd1NBYnctMA\",\"sg_message_id\":\"qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0\",\"smtp-id\":\"<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>\",\"timestamp\":1619651146},\r\n{\"email\":\"invalid@gmail.com\",\"event\":\"bounce\",\"ip\":\"167.89.101.76\",\"reason\":\"552 5.2.2 The email account that you tried to reach is over quota and inactive. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm c17si1130468pgv.34 - gsmtp\",\"sg_event_id\":\"Ym91bmNlLTAtMTk5NDIxMTItcU53QkxnUFFRalc2REp2S1F3U0Fidy0w\",\"sg_message_id\":\"qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0\",\"smtp-id\":\"<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>\",\"status\":\"5.2.2\",\"timestamp\":1619651147,\"tls\":1,\"type\":\"blocked\"}]\r\n";

    // The SDK's "invalid key" case: a valid P-256 key that did not sign.
    private const string SdkOtherKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==";

    private const string Url = "https://hub.example.com/v1/webhooks/whs_sg";
    private const string Body = """[{"email":"a@example.com","event":"delivered","sg_event_id":"ZGVsaXZlcmVkLTEtYQ","timestamp":1790000000}]""";

    private readonly SendGridScheme _scheme = new();
    private readonly ECDsa _signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private string PublicKey => Convert.ToBase64String(_signer.ExportSubjectPublicKeyInfo());

    private WebhookRequest Signed(string body, DateTimeOffset signedAt)
    {
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = _signer.SignData(Utf8(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Request(Url, Utf8(body), Now,
            (SendGridScheme.SignatureHeader, Convert.ToBase64String(signature)), (SendGridScheme.TimestampHeader, timestamp));
    }

    private static WebhookRequest SdkRequest(string body, string signature, long timestamp) =>
        Request(Url, Utf8(body), DateTimeOffset.FromUnixTimeSeconds(timestamp),
            (SendGridScheme.SignatureHeader, signature), (SendGridScheme.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture)));

    [Fact]
    public void Verify_SdkSingleEventVector_IsVerified()
    {
        var result = _scheme.Verify(SdkRequest(SdkBody, SdkSignature, SdkTimestamp), Keys(SdkKey), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal("ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA", result.EventId);
        Assert.Equal("dropped", result.EventType);
    }

    [Fact]
    public void Verify_SdkMultipleEventVector_IsVerifiedWithABatchId()
    {
        var result = _scheme.Verify(SdkRequest(SdkBodyMultiple, SdkSignatureMultiple, SdkTimestampMultiple), Keys(SdkKeyMultiple), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.StartsWith("batch_", result.EventId, StringComparison.Ordinal);
        Assert.Equal("processed", result.EventType);
    }

    [Fact]
    public void Verify_SdkVectorWithAnotherKey_IsBadSignature()
    {
        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(SdkRequest(SdkBody, SdkSignature, SdkTimestamp), Keys(SdkOtherKey), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_SdkVectorBodyWithoutTrailingCrLf_IsBadSignature()
    {
        // The SDK stresses it: the trailing \r\n is part of the signed bytes.
        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(SdkRequest(SdkBody.TrimEnd(), SdkSignature, SdkTimestamp), Keys(SdkKey), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_SdkBadSignatureVector_IsBadSignatureAndReasonHidesIt()
    {
        // The SDK's "bad signature": a valid DER signature over something else.
        const string other = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH3j/0=";

        var result = _scheme.Verify(SdkRequest(SdkBody, other, SdkTimestamp), Keys(SdkKey), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
        AssertReasonHidesAll(result, other, SdkKey);
    }

    [Fact]
    public void Verify_BodyByteFlipped_IsBadSignature()
    {
        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(Signed(Body, Now).WithBodyByteFlipped(20), Keys(PublicKey), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_SignatureByteFlipped_IsBadSignature()
    {
        var request = Signed(Body, Now);
        var signature = Convert.FromBase64String(request.Headers.GetAll(SendGridScheme.SignatureHeader)[0]);
        signature[^3] ^= 0x01;

        var result = _scheme.Verify(request.WithHeader(SendGridScheme.SignatureHeader, Convert.ToBase64String(signature)), Keys(PublicKey), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
    }

    [Fact]
    public void Verify_TimestampChanged_IsBadSignature()
    {
        var changed = (Now.ToUnixTimeSeconds() - 1).ToString(CultureInfo.InvariantCulture);

        var result = _scheme.Verify(Signed(Body, Now).WithHeader(SendGridScheme.TimestampHeader, changed), Keys(PublicKey), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    public void Verify_TimestampOffset_ToleratedWithin300SecondsBothWays(int offsetSeconds, bool accepted)
    {
        var result = _scheme.Verify(Signed(Body, Now.AddSeconds(offsetSeconds)), Keys(PublicKey), WebhookSourceSettings.Default);

        Assert.Equal(accepted ? null : WebhookRefusal.Stale, result.Refusal);
    }

    [Theory]
    [InlineData("timestamp")]
    [InlineData("99999999999999999999")]
    public void Verify_TimestampNotAnInt64_IsMalformed(string timestamp)
    {
        Assert.Equal(WebhookRefusal.Malformed, _scheme.Verify(Signed(Body, Now).WithHeader(SendGridScheme.TimestampHeader, timestamp), Keys(PublicKey), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData(SendGridScheme.SignatureHeader)]
    [InlineData(SendGridScheme.TimestampHeader)]
    public void Verify_HeaderMissing_IsMissingHeader(string header)
    {
        Assert.Equal(WebhookRefusal.MissingHeader, _scheme.Verify(Signed(Body, Now).WithoutHeader(header), Keys(PublicKey), WebhookSourceSettings.Default).Refusal);
    }

    [Theory]
    [InlineData(SendGridScheme.SignatureHeader)]
    [InlineData(SendGridScheme.TimestampHeader)]
    public void Verify_HeaderDuplicated_IsDuplicateHeader(string header)
    {
        var request = Signed(Body, Now);

        Assert.Equal(WebhookRefusal.DuplicateHeader, _scheme.Verify(request.WithDuplicate(header, request.Headers.GetAll(header)[0]), Keys(PublicKey), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void Verify_TwoKeysOnlySecondMatches_VerifiedWithSecond()
    {
        var result = _scheme.Verify(Signed(Body, Now), Keys(SdkOtherKey, PublicKey), WebhookSourceSettings.Default);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal("k2", result.KeyId);
    }

    [Fact]
    public void Verify_PemArmouredKey_IsAccepted()
    {
        var pem = _signer.ExportSubjectPublicKeyInfoPem();

        Assert.True(_scheme.Verify(Signed(Body, Now), Keys(pem), WebhookSourceSettings.Default).IsVerified);
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("AAAA")]
    [InlineData("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=")] // an Ed25519 SPKI, not P-256
    public void Verify_KeyNotAP256PublicKey_IsAClearRefusalNotAnException(string key)
    {
        var result = _scheme.Verify(Signed(Body, Now), Keys(key), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
        Assert.Contains("not a P-256 public key", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_P384Key_IsRefused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var result = _scheme.Verify(Signed(Body, Now), Keys(Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo())), WebhookSourceSettings.Default);

        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
    }

    [Theory]
    [InlineData("not base64")]
    [InlineData("AAAA")]
    public void Verify_SignatureNotDer_IsRefusedWithoutThrowing(string signature)
    {
        var result = _scheme.Verify(Signed(Body, Now).WithHeader(SendGridScheme.SignatureHeader, signature), Keys(PublicKey), WebhookSourceSettings.Default);

        Assert.False(result.IsVerified);
    }

    [Fact]
    public async Task Verify_ManyDeliveriesAtOnceWithOneKey_AllVerifiedAndAForgeryAmongThemRefused()
    {
        // The imported key is leased from a pool: concurrent verifications must each get their own instance.
        var genuine = Signed(Body, Now);
        var forged = Signed(Body, Now).WithBodyByteFlipped(10);
        var keys = Keys(PublicKey);

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => (i, _scheme.Verify(i % 8 == 0 ? forged : genuine, keys, WebhookSourceSettings.Default)))));

        Assert.All(results, r => Assert.Equal(r.i % 8 == 0 ? WebhookRefusal.BadSignature : null, r.Item2.Refusal));
    }

    [Fact]
    public void Verify_KeyRolledToAnother_OldKeyNoLongerVerifiesNewSignatures()
    {
        // The cache is by key text: a new key is imported on its own, and a delivery signed with it fails against the old one.
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.True(_scheme.Verify(Signed(Body, Now), Keys(PublicKey), WebhookSourceSettings.Default).IsVerified);
        var nextKey = Convert.ToBase64String(next.ExportSubjectPublicKeyInfo());

        Assert.Equal(WebhookRefusal.BadSignature, _scheme.Verify(Signed(Body, Now), Keys(nextKey), WebhookSourceSettings.Default).Refusal);
    }

    [Fact]
    public void ImportedKeyPool_ReturnedLease_IsReusedAndAConcurrentLeaseIsAnotherInstance()
    {
        var imports = 0;
        var pool = new ImportedKeyPool(text => { Interlocked.Increment(ref imports); return SendGridScheme.TryImport(text); });

        ECDsa? first;
        ECDsa? second;
        using (var lease = pool.Rent(PublicKey))
        {
            first = lease.Key;
            using var concurrent = pool.Rent(PublicKey);
            second = concurrent.Key;
        }

        using var again = pool.Rent(PublicKey);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotSame(first, second);
        Assert.True(ReferenceEquals(again.Key, first) || ReferenceEquals(again.Key, second));
        Assert.Equal(2, imports);
    }

    [Fact]
    public void ImportedKeyPool_UnusableKey_IsNotCached()
    {
        var imports = 0;
        var pool = new ImportedKeyPool(text => { Interlocked.Increment(ref imports); return SendGridScheme.TryImport(text); });

        using (var lease = pool.Rent("not a key"))
        {
            Assert.Null(lease.Key);
        }

        using var again = pool.Rent("not a key");

        Assert.Null(again.Key);
        Assert.Equal(2, imports);
    }

    [Fact]
    public void Recognizes_EventWebhookSignatureHeader_TrueOtherwiseFalse()
    {
        Assert.True(_scheme.Recognizes(Headers((SendGridScheme.SignatureHeader, "x"))));
        Assert.False(_scheme.Recognizes(Headers(("X-Twilio-Signature", "x"))));
    }

    public void Dispose() => _signer.Dispose();
}
