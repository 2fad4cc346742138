using System.Globalization;

namespace Integrations.Core.Common;

/// <summary>
/// The one rule for text a person reads back — names, descriptions, tags, metadata: only characters that print.
/// Control (Cc), format (Cf: bidi overrides such as U+202E, zero-width U+200B..U+200F, isolates U+2066..U+2069),
/// private-use (Co), unpaired surrogate (Cs), unassigned (Cn), line- and paragraph-separator (Zl, Zp) characters
/// are refused: they let a stored name look like another one in a console, a log or a UI.
/// </summary>
public static class PrintableText
{
    /// <summary>True when every character of <paramref name="text"/> prints (an empty or null text is printable).</summary>
    public static bool IsPrintable(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        for (var i = 0; i < text.Length; i++)
        {
            // Reads a surrogate pair as one character (its category is the pair's, never Surrogate); a lone
            // surrogate is Surrogate.
            if (!IsPrintable(CharUnicodeInfo.GetUnicodeCategory(text, i)))
            {
                return false;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
        }

        return true;
    }

    /// <summary>Whether characters of <paramref name="category"/> print.</summary>
    public static bool IsPrintable(UnicodeCategory category) => category is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);

    /// <summary>
    /// <paramref name="text"/> with every character that does not print written as <c>\u{XXXX}</c>, and backslashes
    /// doubled, so what a console shows is what is stored. For output only (CLI, logs).
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || (IsPrintable(text) && !text.Contains('\\', StringComparison.Ordinal)))
        {
            return text ?? "";
        }

        var escaped = new System.Text.StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (text[i] == '\\')
            {
                escaped.Append(@"\\");
            }
            else if (!IsPrintable(CharUnicodeInfo.GetUnicodeCategory(text, i)))
            {
                var scalar = pair ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{{{scalar:X4}}}");
            }
            else
            {
                escaped.Append(text[i]);
                if (pair)
                {
                    escaped.Append(text[i + 1]);
                }
            }

            if (pair)
            {
                i++;
            }
        }

        return escaped.ToString();
    }
}
