using System.Security.Cryptography;
using System.Text;

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
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int RandomLength = 32;
    private const int ChecksumLength = 6;
    public const int Length = 4 + RandomLength + ChecksumLength;

    /// <summary>A new key and the hash to store.</summary>
    public static (string Token, string Hash) Generate()
    {
        var chars = new char[RandomLength];
        for (var i = 0; i < chars.Length; i++)
        {
            // GetInt32 is uniform (rejection sampling): no modulo bias.
            chars[i] = Base62[RandomNumberGenerator.GetInt32(Base62.Length)];
        }

        var body = Prefix + new string(chars);
        var token = body + Checksum(body);
        return (token, Hash(token));
    }

    /// <summary>True when <paramref name="token"/> has the key's shape and a matching checksum.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token)
    {
        if (token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in token[Prefix.Length..])
        {
            if (Base62.IndexOf(c) < 0)
            {
                return false;
            }
        }

        var body = token[..(Length - ChecksumLength)].ToString();
        return token[(Length - ChecksumLength)..].SequenceEqual(Checksum(body));
    }

    /// <summary>Lowercase hex SHA-256: the foundation's stored form, read only by <c>ihub upgrade</c>. New rows use the keyed lookup hash.</summary>
    public static string Hash(string token) => Hash(Digest(token));

    /// <summary>The stored form of a credential whose <see cref="Digest"/> is already computed.</summary>
    public static string Hash(byte[] digest) => Convert.ToHexStringLower(digest);

    /// <summary>SHA-256 of the credential's UTF-8 bytes.</summary>
    public static byte[] Digest(string credential) => SHA256.HashData(Encoding.UTF8.GetBytes(credential));

    /// <summary>What lists show so a person can tell keys apart: the prefix and the last four characters.</summary>
    public static string Hint(string token) => $"{Prefix}…{token[^4..]}";

    private static string Checksum(string body)
    {
        var crc = Crc32.Compute(Encoding.ASCII.GetBytes(body));
        var chars = new char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }

        return new string(chars);
    }
}
