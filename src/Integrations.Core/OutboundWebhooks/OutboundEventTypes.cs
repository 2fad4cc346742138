using System.Text;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// The shape of a message's event type: dot-separated segments of <c>[A-Za-z0-9_-]</c>, at most <see cref="MaxLength"/>
/// characters (<c>invoice.paid</c>, <c>inbound.stripe.customer.created</c>). Endpoint filters match on it
/// (<see cref="EventTypeFilter"/>), so a type never contains a <c>*</c> or an empty segment.
/// </summary>
public static class OutboundEventTypes
{
    public const int MaxLength = 128;

    /// <summary>Replaces a character outside the allowed set when a type is built from someone else's text (a provider's event type).</summary>
    public const char Replacement = '_';

    /// <summary>True when <paramref name="eventType"/> is a valid event type.</summary>
    public static bool IsValid(string? eventType)
    {
        if (string.IsNullOrEmpty(eventType) || eventType.Length > MaxLength)
        {
            return false;
        }

        var segmentLength = 0;
        foreach (var c in eventType)
        {
            if (c == '.')
            {
                if (segmentLength == 0)
                {
                    return false;
                }

                segmentLength = 0;
            }
            else if (IsAllowed(c))
            {
                segmentLength++;
            }
            else
            {
                return false;
            }
        }

        return segmentLength > 0;
    }

    /// <summary>
    /// A valid event type made of <paramref name="segments"/> (each a part someone else named: a source's name, a provider's
    /// type, which may itself contain dots): characters outside the set become <see cref="Replacement"/>, empty segments
    /// become <c>_</c>, and the result is cut to <see cref="MaxLength"/> (never ending in a dot).
    /// </summary>
    public static string Compose(params string?[] segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var text = new StringBuilder(MaxLength);
        foreach (var segment in segments)
        {
            foreach (var part in (segment ?? "").Split('.'))
            {
                if (text.Length > 0)
                {
                    text.Append('.');
                }

                if (part.Length == 0)
                {
                    text.Append(Replacement);
                    continue;
                }

                foreach (var c in part)
                {
                    text.Append(IsAllowed(c) ? c : Replacement);
                }
            }
        }

        if (text.Length == 0)
        {
            return Replacement.ToString();
        }

        if (text.Length > MaxLength)
        {
            text.Length = MaxLength;
        }

        if (text[^1] == '.')
        {
            text[^1] = Replacement;
        }

        return text.ToString();
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
