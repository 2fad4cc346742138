using System.Security.Cryptography;

namespace Integrations.Core.Common;

/// <summary>
/// Opaque identifiers such as <c>org_k3x9…</c>: a type prefix, an underscore and 20 lowercase base32
/// characters (100 random bits). They are valid Table Storage keys and safe in URLs.
/// </summary>
public static class Ids
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int RandomChars = 20;

    public static string New(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // Every audited request draws an id: the random bytes go straight into the string, with no array allocated.
        return string.Create(prefix.Length + 1 + RandomChars, prefix, static (span, prefix) =>
        {
            Span<byte> random = stackalloc byte[RandomChars];
            RandomNumberGenerator.Fill(random);
            prefix.AsSpan().CopyTo(span);
            span[prefix.Length] = '_';
            for (var i = 0; i < RandomChars; i++)
            {
                span[prefix.Length + 1 + i] = Alphabet[random[i] & 31];
            }
        });
    }

    /// <summary>True when <paramref name="value"/> has the shape <see cref="New"/> produces for <paramref name="prefix"/>.</summary>
    public static bool IsValid(string prefix, string? value)
    {
        if (value is null || value.Length != prefix.Length + 1 + RandomChars
            || !value.StartsWith(prefix, StringComparison.Ordinal) || value[prefix.Length] != '_')
        {
            return false;
        }

        foreach (var c in value.AsSpan(prefix.Length + 1))
        {
            if (Alphabet.IndexOf(c) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
