using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Identity.Passwords;

/// <summary>
/// Argon2id cost of new password hashes. Bound from <c>Auth:PasswordHashing</c>; the defaults are OWASP's Password Storage
/// Cheat Sheet configuration for Argon2id (m = 19 MiB, t = 2, p = 1). Raising them makes every stored hash report
/// <see cref="PasswordVerification.NeedsRehash"/> at its owner's next login, which rehashes it with these values.
/// </summary>
public sealed class PasswordHashingOptions
{
    public const string SectionName = "Auth:PasswordHashing";

    /// <summary>OWASP's weakest equivalent configuration, m = 7 MiB with t = 5, as a memory × passes product (KiB).</summary>
    public const long MinWork = 7168L * 5;

    /// <summary>Memory per hash in KiB (default 19456 = 19 MiB). 7168 (7 MiB) to 262144 (256 MiB).</summary>
    [Range(PasswordHash.MinMemoryKiB, PasswordHash.MaxMemoryKiB,
        ErrorMessage = "Auth:PasswordHashing:MemoryKiB must be between 7168 (7 MiB, OWASP's minimum) and 262144 (256 MiB).")]
    public int MemoryKiB { get; set; } = 19_456;

    /// <summary>Passes over the memory (default 2). 1 to 64.</summary>
    [Range(1, PasswordHash.MaxIterations, ErrorMessage = "Auth:PasswordHashing:Iterations must be between 1 and 64.")]
    public int Iterations { get; set; } = 2;

    /// <summary>Lanes (default 1). Must be 1: libsodium's Argon2id, which the hub uses, computes a single lane.</summary>
    [Range(1, 1, ErrorMessage = "Auth:PasswordHashing:Parallelism must be 1: the hub's Argon2id (libsodium, through NSec) computes one lane.")]
    public int Parallelism { get; set; } = 1;

    /// <summary>The parameters new hashes are made with.</summary>
    public Argon2idParameters Parameters => new(MemoryKiB, Iterations, Parallelism);
}
