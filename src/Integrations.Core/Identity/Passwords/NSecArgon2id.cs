using NSec.Cryptography;

namespace Integrations.Core.Identity.Passwords;

/// <summary>
/// Argon2id v1.3 from libsodium (<c>crypto_pwhash_argon2id</c>) through NSec: native, vectorised, and the library the hub
/// already ships for Ed25519. libsodium takes one lane and a 16-byte salt, and neither a secret nor associated data, which
/// the hub's format never uses (bench/results/2026-11-30-issue11-argon2id.md has the comparison that chose it).
/// </summary>
internal sealed class NSecArgon2id : IArgon2id
{
    public static NSecArgon2id Instance { get; } = new();

    public void DeriveBytes(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> output)
    {
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = parameters.Parallelism,
            MemorySize = parameters.MemoryKiB,
            NumberOfPasses = parameters.Iterations,
        });
        algorithm.DeriveBytes(password, salt, output);
    }
}
