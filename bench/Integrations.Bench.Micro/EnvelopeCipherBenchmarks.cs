using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Integrations.Core.Crypto;

namespace Integrations.Bench.Micro;

/// <summary>
/// Envelope encryption of a 256-byte secret against raw AES-256-GCM of the same bytes with one reused
/// <see cref="AesGcm"/> (the baseline), so the ratio column shows what the envelope costs: a fresh data key
/// (random), two key schedules, the data key wrap and the associated data. Target: seal + open under 5 µs.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class EnvelopeCipherBenchmarks : IDisposable
{
    private const int SecretSize = 256;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly SealContext _context = new("org_benchmarkorganization1", "prj_benchmarkproject00001", "sec_benchmarksecret000001", 1);
    private readonly byte[] _plaintext = new byte[SecretSize];
    private readonly byte[] _nonce = new byte[NonceSize];
    private readonly byte[] _tag = new byte[TagSize];
    private readonly byte[] _ciphertext = new byte[SecretSize];
    private readonly byte[] _decrypted = new byte[SecretSize];
    private readonly byte[] _associatedData = new byte[64];
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _random = new byte[32 + NonceSize + NonceSize];
    private KeyEncryptionKey _kek = null!;
    private AesGcm _aes = null!;
    private SealedSecret _sealed = null!;

    [GlobalSetup]
    public void Setup()
    {
        RandomNumberGenerator.Fill(_plaintext);
        RandomNumberGenerator.Fill(_nonce);
        RandomNumberGenerator.Fill(_associatedData);
        _kek = KeyEncryptionKey.Generate("kek_benchmark0000000000");
        RandomNumberGenerator.Fill(_key);
        _aes = new AesGcm(_key, TagSize);
        _sealed = EnvelopeCipher.Seal(_plaintext, _context, _kek);
    }

    [Benchmark(Baseline = true, Description = "raw AES-256-GCM encrypt+decrypt")]
    public byte[] RawAesGcm()
    {
        // One key schedule, reused: the cheapest possible authenticated round trip of the same bytes.
        _aes.Encrypt(_nonce, _plaintext, _ciphertext, _tag, _associatedData);
        _aes.Decrypt(_nonce, _ciphertext, _tag, _decrypted, _associatedData);
        return _decrypted;
    }

    [Benchmark(Description = "envelope seal+open")]
    public byte[] SealAndOpen() => EnvelopeCipher.Open(EnvelopeCipher.Seal(_plaintext, _context, _kek), _context, _kek);

    [Benchmark(Description = "envelope seal")]
    public SealedSecret Seal() => EnvelopeCipher.Seal(_plaintext, _context, _kek);

    [Benchmark(Description = "envelope open")]
    public byte[] Open() => EnvelopeCipher.Open(_sealed, _context, _kek);

    // The parts the envelope repeats: seal + open builds four AesGcm instances (data key and KEK, twice) and draws
    // 56 random bytes in three calls. Measured alone so the table shows where the envelope's time goes.

    [Benchmark(Description = "part: new AesGcm(key) + Dispose")]
    public void AesGcmSetup()
    {
        using var aes = new AesGcm(_key, TagSize);
    }

    [Benchmark(Description = "part: random 32+12+12 bytes")]
    public byte[] RandomBytes()
    {
        RandomNumberGenerator.Fill(_random.AsSpan(0, 32));
        RandomNumberGenerator.Fill(_random.AsSpan(32, NonceSize));
        RandomNumberGenerator.Fill(_random.AsSpan(32 + NonceSize, NonceSize));
        return _random;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _aes?.Dispose();
        _kek?.Dispose();
        GC.SuppressFinalize(this);
    }
}
