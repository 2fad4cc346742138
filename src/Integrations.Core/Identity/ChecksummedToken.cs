using System.Security.Cryptography;
using System.Text;

namespace Integrations.Core.Identity;

/// <summary>
/// The shape the hub's bearer credentials share (<see cref="ApiKeyToken"/>, <see cref="Tokens.RefreshToken"/>): a 4-character
/// prefix, 32 base62 characters of randomness (~190 bits) and a 6-character base62 CRC32 of what precedes them. The prefix
/// lets secret scanners recognise a leak; the checksum rejects a mistyped or made-up credential without a storage lookup.
/// </summary>
internal static class ChecksummedToken
{
    public const int PrefixLength = 4;
    public const int RandomLength = 32;
    public const int ChecksumLength = 6;
    public const int Length = PrefixLength + RandomLength + ChecksumLength;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new credential with <paramref name="prefix"/> (4 characters, e.g. <c>ihk_</c>).</summary>
    public static string Generate(string prefix)
    {
        Span<char> chars = stackalloc char[Length];
        prefix.AsSpan().CopyTo(chars);
        FillRandom(chars.Slice(PrefixLength, RandomLength));

        WriteChecksum(chars[..(Length - ChecksumLength)], chars[(Length - ChecksumLength)..]);
        return new string(chars);
    }

    /// <summary>True when <paramref name="token"/> has the shape with <paramref name="prefix"/> and a matching checksum.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token, string prefix)
    {
        return IsWellFormed(token, prefix, Length);
    }

    /// <summary>SHA-256 of the credential's UTF-8 bytes.</summary>
    public static byte[] Digest(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>What lists show so a person can tell credentials apart: the prefix and the last four characters.</summary>
    public static string Hint(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return $"{token[..PrefixLength]}…{token[^4..]}";
    }

    /// <summary>
    /// True when <paramref name="token"/> is <paramref name="length"/> ASCII letters and digits after <paramref name="prefix"/>
    /// and ends in the checksum of what precedes it: the shape check of a credential longer than the plain one.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token, string prefix, int length)
    {
        if (token.Length != length || !token.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in token[prefix.Length..])
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        Span<char> checksum = stackalloc char[ChecksumLength];
        WriteChecksum(token[..(length - ChecksumLength)], checksum);
        return token[(length - ChecksumLength)..].SequenceEqual(checksum);
    }

    /// <summary>Base62 characters drawn uniformly (rejection sampling: no modulo bias) into <paramref name="destination"/>.</summary>
    public static void FillRandom(Span<char> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = Base62[RandomNumberGenerator.GetInt32(Base62.Length)];
        }
    }

    /// <summary>Writes the 6-character base62 CRC32 of <paramref name="body"/> into <paramref name="destination"/>.</summary>
    public static void WriteChecksum(ReadOnlySpan<char> body, Span<char> destination)
    {
        Span<byte> ascii = stackalloc byte[body.Length];
        Encoding.ASCII.GetBytes(body, ascii);
        var crc = Crc32.Compute(ascii);
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            destination[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }
    }
}
