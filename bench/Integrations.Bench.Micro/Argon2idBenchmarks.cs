using System.Text;
using BenchmarkDotNet.Attributes;
using Integrations.Core.Identity.Passwords;
using Isopoh.Cryptography.Argon2;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSec.Cryptography;
using KonsciousArgon2id = Konscious.Security.Cryptography.Argon2id;

namespace Integrations.Bench.Micro;

/// <summary>
/// One Argon2id computation (32-byte output, 16-byte salt, a 26-byte password) at the hub's default parameters — OWASP's
/// m = 19 MiB, t = 2, p = 1 — by the three implementations the registry offers: libsodium through NSec (the baseline, and what
/// the hub uses), Konscious.Security.Cryptography.Argon2 and Isopoh.Cryptography.Argon2 (both managed C#). The last two rows
/// are the hub's own <see cref="IPasswordHasher"/> (NSec plus NFKC, PHC parsing and a constant-time compare), so the table
/// also shows what the hub adds around the hash. Setup stops if the three implementations disagree on the bytes.
/// Managed allocations show in the Allocated column; libsodium's 19 MiB are native (not counted there).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class Argon2idBenchmarks
{
    private const int MemoryKiB = 19_456;
    private const int Iterations = 2;
    private const int Parallelism = 1;
    private const int HashSize = 32;

    private readonly byte[] _password = Encoding.UTF8.GetBytes("vinyl otter cactus lantern");
    private readonly byte[] _salt = Convert.FromHexString("5541fbc995d5c197ba290346d2c559de");
    private readonly byte[] _output = new byte[HashSize];
    private PasswordBasedKeyDerivationAlgorithm _nsec = null!;
    private Argon2idPasswordHasher _hasher = null!;
    private string _stored = null!;

    [GlobalSetup]
    public void Setup()
    {
        _nsec = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = Parallelism,
            MemorySize = MemoryKiB,
            NumberOfPasses = Iterations,
        });
        _hasher = new Argon2idPasswordHasher(
            Options.Create(new PasswordHashingOptions { MemoryKiB = MemoryKiB, Iterations = Iterations, Parallelism = Parallelism }),
            NullLogger<Argon2idPasswordHasher>.Instance);
        _stored = _hasher.Hash("vinyl otter cactus lantern");

        var nsec = (byte[])NSec().Clone();
        if (!nsec.AsSpan().SequenceEqual(Konscious()) || !nsec.AsSpan().SequenceEqual(Isopoh()))
        {
            throw new InvalidOperationException("The Argon2id implementations disagree on the same inputs.");
        }

        if (!_hasher.Verify("vinyl otter cactus lantern", _stored).Valid)
        {
            throw new InvalidOperationException("The hub's hasher does not verify its own hash.");
        }
    }

    [Benchmark(Baseline = true, Description = "NSec (libsodium) Argon2id")]
    public byte[] NSec()
    {
        _nsec.DeriveBytes(_password, _salt, _output);
        return _output;
    }

    [Benchmark(Description = "Konscious Argon2id")]
    public byte[] Konscious()
    {
        using var argon2 = new KonsciousArgon2id(_password)
        {
            Salt = _salt,
            DegreeOfParallelism = Parallelism,
            MemorySize = MemoryKiB,
            Iterations = Iterations,
        };
        return argon2.GetBytes(HashSize);
    }

    [Benchmark(Description = "Isopoh Argon2id")]
    public byte[] Isopoh()
    {
        var config = new Argon2Config
        {
            Type = Argon2Type.HybridAddressing,
            Version = Argon2Version.Nineteen,
            TimeCost = Iterations,
            MemoryCost = MemoryKiB,
            Lanes = Parallelism,
            Threads = Parallelism,
            Password = _password,
            Salt = _salt,
            HashLength = HashSize,
        };
        using var argon2 = new Argon2(config);
        using var hash = argon2.Hash();
        return hash.Buffer.ToArray();
    }

    [Benchmark(Description = "hub: IPasswordHasher.Hash")]
    public string HubHash() => _hasher.Hash("vinyl otter cactus lantern");

    [Benchmark(Description = "hub: IPasswordHasher.Verify")]
    public PasswordVerification HubVerify() => _hasher.Verify("vinyl otter cactus lantern", _stored);
}
