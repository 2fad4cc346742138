namespace Integrations.Core.Identity.Passwords;

/// <summary>
/// Hashes passwords for storage and checks them, in the self-describing format of <see cref="PasswordHash"/>. Passwords are
/// normalised (Unicode NFKC) before hashing, so the same characters typed on another keyboard or system still match.
/// Every method costs one Argon2id computation, whatever the outcome, so a caller's timing says nothing about why it failed.
/// </summary>
public interface IPasswordHasher
{
    /// <summary>A new hash of <paramref name="password"/> with today's parameters and a fresh 16-byte random salt.</summary>
    string Hash(string password);

    /// <summary>
    /// Whether <paramref name="password"/> matches <paramref name="storedHash"/> (compared in constant time). A stored value
    /// that is not a readable hash, or asks for parameters past the hub's limits, is a failed match (and logged), computed at
    /// the same cost as a real one.
    /// </summary>
    PasswordVerification Verify(string password, string storedHash);

    /// <summary>
    /// For a login whose email has no account (or no password): checks <paramref name="password"/> against a dummy hash made
    /// once with today's parameters, so the answer takes as long as a wrong password. Always a failed match.
    /// </summary>
    PasswordVerification VerifyAgainstDummy(string password);
}
