using System.Text;
using ICU4N.Text;

namespace Integrations.Core.Identity.Passwords;

/// <summary>
/// Unicode normalization form KC for email addresses and passwords. The hosts run with <c>InvariantGlobalization</c>, where
/// <see cref="string.Normalize(NormalizationForm)"/> returns non-ASCII text unchanged, so NFKC comes from ICU4N's managed
/// normalizer: the same result on every host, whatever ICU its operating system carries — a lookup key or a password hash
/// must not depend on which instance computed it.
/// </summary>
internal static class UnicodeText
{
    /// <summary>NFKC of <paramref name="value"/> (compatibility characters such as full-width letters or ligatures folded).</summary>
    public static string Nfkc(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Pure ASCII is already in every normalization form: skip the normalizer on the common path.
        return Ascii.IsValid(value) ? value : Normalizer2.NFKCInstance.Normalize(value);
    }

    /// <summary>The number of Unicode code points (a surrogate pair counts once; an unpaired surrogate counts once too).</summary>
    public static int CodePoints(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var count = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }

            count++;
        }

        return count;
    }
}
