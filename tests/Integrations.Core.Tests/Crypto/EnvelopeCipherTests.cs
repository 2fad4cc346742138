using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Crypto;

namespace Integrations.Core.Tests.Crypto;

public sealed class EnvelopeCipherTests : IDisposable
{
    private static readonly SealContext Context = new("org_a", "prj_a", "sec_a", 3);
    private readonly KeyEncryptionKey _kek = KeyEncryptionKey.Generate("kek_test");
    private readonly byte[] _plaintext = Encoding.UTF8.GetBytes("sk_live_51H-very-secret-value");

    [Fact]
    public void SealThenOpen_RoundTripsThePlaintext()
    {
        var sealedSecret = EnvelopeCipher.Seal(_plaintext, Context, _kek);

        Assert.Equal(_plaintext, EnvelopeCipher.Open(SealedSecret.Parse(sealedSecret.Bytes), Context, _kek));
        Assert.Equal("kek_test", sealedSecret.KekId);
        Assert.Equal(SealedSecret.SizeFor(_plaintext.Length, "kek_test"), sealedSecret.Bytes.Length);
        Assert.True(sealedSecret.Bytes.AsSpan().IndexOf(_plaintext) < 0, "the plaintext appears in the sealed form");
    }

    [Fact]
    public void SealThenOpen_EmptyAndLargeValues_RoundTrip()
    {
        var large = RandomNumberGenerator.GetBytes(48 * 1024);

        Assert.Empty(EnvelopeCipher.Open(EnvelopeCipher.Seal([], Context, _kek), Context, _kek));
        Assert.Equal(large, EnvelopeCipher.Open(EnvelopeCipher.Seal(large, Context, _kek), Context, _kek));
    }

    public static TheoryData<string> Regions => new() { "wrapped-dek-nonce", "wrapped-dek", "wrapped-dek-tag", "payload-nonce", "payload-tag", "payload-ciphertext" };

    [Theory]
    [MemberData(nameof(Regions))]
    public void Open_AnyBitFlipped_FailsAuthentication(string region)
    {
        var bytes = EnvelopeCipher.Seal(_plaintext, Context, _kek).Bytes;
        var dek = 3 + "kek_test".Length;
        var payload = dek + 60;
        var offset = region switch
        {
            "wrapped-dek-nonce" => dek,
            "wrapped-dek" => dek + 12,
            "wrapped-dek-tag" => dek + 44,
            "payload-nonce" => payload,
            "payload-tag" => payload + 12,
            _ => payload + 28,
        };
        bytes[offset] ^= 0x01;

        Assert.Throws<SecretIntegrityException>(() => EnvelopeCipher.Open(SealedSecret.Parse(bytes), Context, _kek));
    }

    [Fact]
    public void Open_KekIdAltered_Fails()
    {
        var bytes = EnvelopeCipher.Seal(_plaintext, Context, _kek).Bytes;
        bytes[3] = (byte)'K';

        Assert.Throws<SecretIntegrityException>(() => EnvelopeCipher.Open(SealedSecret.Parse(bytes), Context, _kek));
    }

    public static TheoryData<string, string, string, int> OtherPlaces => new()
    {
        { "org_b", "prj_a", "sec_a", 3 },
        { "org_a", "prj_b", "sec_a", 3 },
        { "org_a", "prj_a", "sec_b", 3 },
        { "org_a", "prj_a", "sec_a", 4 },
        // Field boundaries are part of the encoding: "org_a|prj_a" is not "org_ap|rj_a".
        { "org_ap", "rj_a", "sec_a", 3 },
    };

    [Theory]
    [MemberData(nameof(OtherPlaces))]
    public void Open_CiphertextMovedToAnotherPlace_Fails(string tenant, string project, string objectId, int version)
    {
        var sealedSecret = EnvelopeCipher.Seal(_plaintext, Context, _kek);

        Assert.Throws<SecretIntegrityException>(() => EnvelopeCipher.Open(sealedSecret, new SealContext(tenant, project, objectId, version), _kek));
    }

    [Fact]
    public void Open_WrongKekWithTheSameId_Fails()
    {
        var sealedSecret = EnvelopeCipher.Seal(_plaintext, Context, _kek);
        using var impostor = KeyEncryptionKey.Generate("kek_test");

        Assert.Throws<SecretIntegrityException>(() => EnvelopeCipher.Open(sealedSecret, Context, impostor));
    }

    [Fact]
    public void Open_KekOfAnotherId_Fails()
    {
        var sealedSecret = EnvelopeCipher.Seal(_plaintext, Context, _kek);
        using var other = KeyEncryptionKey.Generate("kek_other");

        Assert.Throws<SecretIntegrityException>(() => EnvelopeCipher.Open(sealedSecret, Context, other));
    }

    [Fact]
    public void Seal_ManyTimes_NeverRepeatsANonceOrCiphertext()
    {
        const int count = 10_000;
        var nonces = new HashSet<string>(StringComparer.Ordinal);
        var ciphertexts = new HashSet<string>(StringComparer.Ordinal);
        var dek = 3 + "kek_test".Length;

        for (var i = 0; i < count; i++)
        {
            var bytes = EnvelopeCipher.Seal(_plaintext, Context, _kek).Bytes;
            Assert.True(nonces.Add(Convert.ToHexString(bytes, dek, 12)), "a DEK-wrapping nonce repeated");
            Assert.True(nonces.Add(Convert.ToHexString(bytes, dek + 60, 12)), "a payload nonce repeated");
            Assert.True(ciphertexts.Add(Convert.ToHexString(bytes, dek + 88, _plaintext.Length)), "a ciphertext repeated: a data key was reused");
        }
    }

    [Fact]
    public void Rewrap_ToAnotherKek_OpensUnderItOnly_PayloadUnchanged()
    {
        var original = EnvelopeCipher.Seal(_plaintext, Context, _kek);
        using var next = KeyEncryptionKey.Generate("kek_next");

        var rewrapped = EnvelopeCipher.Rewrap(original, Context, _kek, next);

        Assert.Equal("kek_next", rewrapped.KekId);
        Assert.Equal(_plaintext, EnvelopeCipher.Open(rewrapped, Context, next));
        Assert.Throws<SecretIntegrityException>(() => EnvelopeCipher.Open(rewrapped, Context, _kek));
        Assert.Equal(original.Payload.ToArray(), rewrapped.Payload.ToArray());
    }

    [Fact]
    public void Seal_WritesFormat2()
    {
        var sealedSecret = EnvelopeCipher.Seal(_plaintext, Context, _kek);

        Assert.Equal((byte)2, sealedSecret.Bytes[0]);
        Assert.Equal((byte)2, sealedSecret.Format);
    }

    [Fact]
    public void Open_FormatByteDowngradedToLegacy_FailsAuthentication()
    {
        // A storage writer relabels a value as the foundation's format 1, whose associated data did not cover the header.
        var bytes = EnvelopeCipher.Seal(_plaintext, Context, _kek).Bytes;
        bytes[0] = 1;

        Assert.Throws<SecretIntegrityException>(() => EnvelopeCipher.Open(SealedSecret.Parse(bytes), Context, _kek));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Open_LegacyValueWithAlteredHeader_Fails(int index)
    {
        var bytes = LegacySeal(_plaintext, Context, _kek);
        bytes[index] = (byte)(index == 0 ? 2 : 9);

        Assert.Throws<SecretIntegrityException>(() => EnvelopeCipher.Open(SealedSecret.Parse(bytes), Context, _kek));
    }

    [Fact]
    public void Open_LegacyFormat1Value_StillOpens_AndRewrapKeepsItsFormat()
    {
        var legacy = SealedSecret.Parse(LegacySeal(_plaintext, Context, _kek));
        using var next = KeyEncryptionKey.Generate("kek_next");

        var opened = EnvelopeCipher.Open(legacy, Context, _kek);
        var rewrapped = EnvelopeCipher.Rewrap(legacy, Context, _kek, next);

        Assert.Equal(_plaintext, opened);
        Assert.Equal((byte)1, rewrapped.Format);
        Assert.Equal(_plaintext, EnvelopeCipher.Open(rewrapped, Context, next));
    }

    /// <summary>A value in the foundation's format 1, built from its documented layout: the header is not in the associated data.</summary>
    private static byte[] LegacySeal(byte[] plaintext, SealContext context, KeyEncryptionKey kek)
    {
        var kekId = Encoding.ASCII.GetBytes(kek.Id);
        var contextData = context.ToAssociatedData();
        var dekData = "ih/dek/v1"u8.ToArray().Concat(new byte[] { 0, (byte)kekId.Length }).Concat(kekId).Concat(contextData).ToArray();
        var dek = RandomNumberGenerator.GetBytes(32);
        var wrappedDek = new byte[12 + 32 + 16];
        RandomNumberGenerator.Fill(wrappedDek.AsSpan(0, 12));
        using (var aes = new AesGcm(kek.Key, 16))
        {
            aes.Encrypt(wrappedDek.AsSpan(0, 12), dek, wrappedDek.AsSpan(12, 32), wrappedDek.AsSpan(44, 16), dekData);
        }

        var payload = new byte[12 + 16 + plaintext.Length];
        RandomNumberGenerator.Fill(payload.AsSpan(0, 12));
        using (var aes = new AesGcm(dek, 16))
        {
            aes.Encrypt(payload.AsSpan(0, 12), plaintext, payload.AsSpan(28), payload.AsSpan(12, 16), contextData);
        }

        return new byte[] { 1, 1, (byte)kekId.Length }.Concat(kekId).Concat(wrappedDek).Concat(payload).ToArray();
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 3, 1, 1, (byte)'k' })]
    [InlineData(new byte[] { 1, 9, 1, (byte)'k' })]
    [InlineData(new byte[] { 1, 1, 8, (byte)'k', (byte)'e', (byte)'k' })]
    public void Parse_NotASealedValue_FailsWithIntegrityError(byte[] bytes)
    {
        Assert.Throws<SecretIntegrityException>(() => SealedSecret.Parse(bytes));
    }

    /// <summary>
    /// The primitive as we use it (96-bit nonce, 128-bit tag, associated data) against the published vector:
    /// "The Galois/Counter Mode of Operation (GCM)", McGrew and Viega, test case 16 (AES-256).
    /// </summary>
    [Fact]
    public void AesGcm_GcmSpecTestCase16_MatchesPublishedVector()
    {
        var key = Convert.FromHexString("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        var nonce = Convert.FromHexString("cafebabefacedbaddecaf888");
        var plaintext = Convert.FromHexString("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        var aad = Convert.FromHexString("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];

        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, aad);

        Assert.Equal("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662", Convert.ToHexStringLower(ciphertext));
        Assert.Equal("76fc6ece0f4e1768cddf8853bb2d551b", Convert.ToHexStringLower(tag));
    }

    [Fact]
    public async Task Seal_WhileTheKekIsDisposed_NeverSealsUnderAZeroedKey()
    {
        var keyBytes = RandomNumberGenerator.GetBytes(32);
        using var reference = new KeyEncryptionKey("kek_race", keyBytes);
        for (var round = 0; round < 10; round++)
        {
            var kek = new KeyEncryptionKey("kek_race", keyBytes);
            var sealedValues = new System.Collections.Concurrent.ConcurrentBag<SealedSecret>();
            using var stop = new CancellationTokenSource();
            // Dedicated threads: busy pool threads would starve the continuation that disposes the key.
            var sealers = Enumerable.Range(0, 3).Select(_ => Task.Factory.StartNew(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        sealedValues.Add(EnvelopeCipher.Seal(_plaintext, Context, kek));
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();
            await Task.Delay(5);
            kek.Dispose();
            await stop.CancelAsync();
            await Task.WhenAll(sealers);

            Assert.All(sealedValues, v => Assert.Equal(_plaintext, EnvelopeCipher.Open(v, Context, reference)));
        }
    }

    public void Dispose() => _kek.Dispose();
}
