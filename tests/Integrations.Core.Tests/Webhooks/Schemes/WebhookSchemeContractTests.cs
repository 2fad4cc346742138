using Integrations.Core.Webhooks;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>
/// What every HMAC scheme must do, run once per scheme (each scheme's test class derives from this and adds its published
/// vectors and its own cases): genuine deliveries verify, any flipped byte refuses, the tolerance holds in both directions,
/// missing and duplicated headers are refused by name, a rolled secret verifies with the second key, and no refusal reason
/// carries a secret or a signature.
/// </summary>
public abstract class WebhookSchemeContractTests
{
    protected static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(1_764_500_000);

    protected abstract IWebhookScheme Scheme { get; }

    protected virtual WebhookSourceSettings Settings => WebhookSourceSettings.Default;

    protected abstract string Secret { get; }

    protected abstract string OtherSecret { get; }

    /// <summary>Whether the scheme signs a send time (so the tolerance applies).</summary>
    protected abstract bool SignsTime { get; }

    protected abstract string SignatureHeader { get; }

    /// <summary>Headers the scheme cannot verify without, each of which must be refused when absent or sent twice.</summary>
    protected abstract IReadOnlyList<string> RequiredHeaders { get; }

    /// <summary>A genuine delivery signed with <paramref name="secret"/> at <paramref name="sentAt"/>.</summary>
    protected abstract Delivery Sign(string secret, DateTimeOffset sentAt);

    protected abstract string? ExpectedEventId { get; }

    protected abstract string? ExpectedEventType { get; }

    protected WebhookVerification Verify(Delivery delivery, DateTimeOffset receivedAt, params WebhookSigningKey[] keys) =>
        Scheme.Verify(delivery.ToRequest(receivedAt), keys, Settings);

    protected WebhookVerification Verify(Delivery delivery, params WebhookSigningKey[] keys) => Verify(delivery, SentAt, keys);

    protected WebhookSigningKey PrimaryKey => SchemeTestKit.Key("k1", Secret);

    /// <summary>Asserts the refusal and that its reason names neither a secret nor the signature that was sent.</summary>
    protected void AssertRefused(WebhookVerification verification, WebhookRefusal expected, Delivery? delivery = null)
    {
        Assert.False(verification.IsVerified);
        Assert.Equal(expected, verification.Refusal);
        Assert.False(string.IsNullOrWhiteSpace(verification.Reason));
        Assert.DoesNotContain(Secret, verification.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(OtherSecret, verification.Reason, StringComparison.Ordinal);
        if (delivery is not null)
        {
            foreach (var signature in delivery.Headers.Where(h => string.Equals(h.Key, SignatureHeader, StringComparison.OrdinalIgnoreCase) && h.Value.Length > 0))
            {
                Assert.DoesNotContain(signature.Value, verification.Reason, StringComparison.Ordinal);
            }
        }

        Assert.Null(verification.KeyId);
        Assert.Null(verification.EventId);
    }

    [Fact]
    public void Verify_GenuineDelivery_IsVerifiedWithKeyIdEventIdAndType()
    {
        var verification = Verify(Sign(Secret, SentAt), PrimaryKey);

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Equal("k1", verification.KeyId);
        Assert.Equal(ExpectedEventId, verification.EventId);
        Assert.Equal(ExpectedEventType, verification.EventType);
        Assert.Null(verification.Challenge);
        Assert.Null(verification.NewSigningSecret);
    }

    [Fact]
    public void Verify_OneFlippedBodyByte_IsBadSignature()
    {
        var delivery = Sign(Secret, SentAt).FlipBodyByte();

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.BadSignature, delivery);
    }

    [Fact]
    public void Verify_LastBodyByteFlipped_IsBadSignature()
    {
        var genuine = Sign(Secret, SentAt);
        var delivery = genuine.FlipBodyByte(genuine.Body.Length - 1);

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.BadSignature, delivery);
    }

    [Fact]
    public void Verify_OneFlippedSignatureCharacter_IsBadSignature()
    {
        var genuine = Sign(Secret, SentAt);
        var delivery = genuine.With(SignatureHeader, SchemeTestKit.FlipCharacter(genuine.Header(SignatureHeader)));

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.BadSignature, delivery);
    }

    [Fact]
    public void Verify_SignedWithAnotherSecret_IsBadSignature()
    {
        var delivery = Sign(OtherSecret, SentAt);

        AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.BadSignature, delivery);
    }

    [Fact]
    public void Verify_NoActiveKey_IsBadSignature()
    {
        // A secret retired after its overlap is filtered out by the source resolver: the scheme then sees no key at all.
        var delivery = Sign(Secret, SentAt);

        AssertRefused(Verify(delivery), WebhookRefusal.BadSignature, delivery);
    }

    [Fact]
    public void Verify_OnlyTheSecondOfTwoKeysMatches_IsVerifiedWithTheSecondKey()
    {
        var verification = Verify(Sign(Secret, SentAt), SchemeTestKit.Key("k-new", OtherSecret), SchemeTestKit.Key("k-old", Secret));

        Assert.True(verification.IsVerified, verification.Reason);
        Assert.Equal("k-old", verification.KeyId);
    }

    [Fact]
    public void Verify_EachRequiredHeaderMissing_IsMissingHeaderNamingIt()
    {
        Assert.NotEmpty(RequiredHeaders);
        foreach (var header in RequiredHeaders)
        {
            var delivery = Sign(Secret, SentAt).Without(header);
            var verification = Verify(delivery, PrimaryKey);

            AssertRefused(verification, WebhookRefusal.MissingHeader, delivery);
            Assert.Contains(header, verification.Reason, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Verify_EachRequiredHeaderEmpty_IsMissingHeader()
    {
        foreach (var header in RequiredHeaders)
        {
            var delivery = Sign(Secret, SentAt).With(header, string.Empty);

            AssertRefused(Verify(delivery, PrimaryKey), WebhookRefusal.MissingHeader, delivery);
        }
    }

    [Fact]
    public void Verify_EachRequiredHeaderSentTwice_IsDuplicateHeaderNamingIt()
    {
        foreach (var header in RequiredHeaders)
        {
            var delivery = Sign(Secret, SentAt).Duplicating(header);
            var verification = Verify(delivery, PrimaryKey);

            AssertRefused(verification, WebhookRefusal.DuplicateHeader, delivery);
            Assert.Contains(header, verification.Reason, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Verify_GarbageInEachRequiredHeader_IsRefusedWithoutThrowing()
    {
        string[] garbage = ["\u0000", "=", ",,", "v1=", "t=,v1=", "sha256=zz", "99999999999999999999999999", "-1", " ", "é", new string('a', 10_000)];
        foreach (var header in RequiredHeaders)
        {
            foreach (var value in garbage)
            {
                var verification = Verify(Sign(Secret, SentAt).With(header, value), PrimaryKey);

                Assert.False(verification.IsVerified, $"{header}: {value}");
            }
        }
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    public void Verify_SentThisManySecondsFromTheReceiveTime_HonoursTheToleranceBothWays(int offsetSeconds, bool accepted)
    {
        // offsetSeconds < 0: sent before the receive time (old); > 0: sent "after" it (a clock far ahead, or forged).
        var delivery = Sign(Secret, SentAt.AddSeconds(offsetSeconds));
        var verification = Verify(delivery, SentAt, PrimaryKey);

        if (accepted || !SignsTime)
        {
            Assert.True(verification.IsVerified, verification.Reason);
        }
        else
        {
            AssertRefused(verification, WebhookRefusal.Stale, delivery);
        }
    }

    [Fact]
    public void Verify_ReceivedADayAfterSigning_IsStaleOnlyWhenTheSchemeSignsTime()
    {
        var delivery = Sign(Secret, SentAt);
        var verification = Verify(delivery, SentAt.AddDays(1), PrimaryKey);

        if (SignsTime)
        {
            AssertRefused(verification, WebhookRefusal.Stale, delivery);
        }
        else
        {
            Assert.True(verification.IsVerified, verification.Reason);
        }
    }

    [Fact]
    public void Verify_ToleranceOfTheSource_IsUsed()
    {
        var delivery = Sign(Secret, SentAt.AddSeconds(-61));
        var verification = Scheme.Verify(delivery.ToRequest(SentAt), [PrimaryKey], Settings with { ToleranceSeconds = 60 });

        Assert.Equal(SignsTime ? WebhookRefusal.Stale : null, verification.Refusal);
    }

    /// <summary>Whether the project-level route can pick the scheme by its headers (the generic scheme cannot).</summary>
    protected virtual bool Sniffable => true;

    [Fact]
    public void Recognizes_ItsOwnDelivery_IsTrueWhenSniffable() => Assert.Equal(Sniffable, Scheme.Recognizes(Sign(Secret, SentAt).ToRequest(SentAt).Headers));

    [Fact]
    public void Recognizes_HeadersOfNoProvider_IsFalse()
    {
        var headers = new WebhookHeaders([KeyValuePair.Create("Content-Type", new[] { "application/json" }), KeyValuePair.Create("User-Agent", new[] { "curl/8" })]);

        Assert.False(Scheme.Recognizes(headers));
    }
}
