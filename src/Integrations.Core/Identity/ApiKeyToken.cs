namespace Integrations.Core.Identity;

/// <summary>
/// The API key string: <c>ihk_</c>, 32 base62 characters of randomness (~190 bits), and a 6-character base62
/// CRC32 of what precedes it. The prefix lets secret scanners recognise a leaked key; the checksum lets us
/// (and them) reject a mistyped or made-up key without a storage lookup. Stored only as a keyed lookup hash (an HMAC of
/// its SHA-256 <see cref="Digest"/> under the ring's authority key, <see cref="Integrity.AuthorityRows.LookupHashAsync"/>).
/// </summary>
public static class ApiKeyToken
{
    public const string Prefix = "ihk_";
    public const int Length = ChecksummedToken.Length;

    /// <summary>A new key and the hash to store.</summary>
    public static (string Token, string Hash) Generate()
    {
        var token = ChecksummedToken.Generate(Prefix);
        return (token, Hash(token));
    }

    /// <summary>True when <paramref name="token"/> has the key's shape and a matching checksum.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token) => ChecksummedToken.IsWellFormed(token, Prefix);

    /// <summary>Lowercase hex SHA-256: the foundation's stored form, read only by <c>ihub upgrade</c>. New rows use the keyed lookup hash.</summary>
    public static string Hash(string token) => Hash(Digest(token));

    /// <summary>The stored form of a credential whose <see cref="Digest"/> is already computed.</summary>
    public static string Hash(byte[] digest) => Convert.ToHexStringLower(digest);

    /// <summary>SHA-256 of the credential's UTF-8 bytes.</summary>
    public static byte[] Digest(string credential) => ChecksummedToken.Digest(credential);

    /// <summary>What lists show so a person can tell keys apart: the prefix and the last four characters.</summary>
    public static string Hint(string token) => ChecksummedToken.Hint(token);
}
