using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Integrations.Core.Webhooks.Schemes;

// Two ways in, one rule out: ReadJsonText over the raw bytes (a JSON pointer, streaming, nothing materialised: for the one or
// two values most schemes need) or over a parsed element (for bodies that are read whole anyway: batches, challenges). Both
// give a JSON string's value or a number's literal text, and null for anything else.
internal static partial class SchemeSupport
{
    /// <summary>
    /// Reads the value at <paramref name="pointer"/> (RFC 6901, e.g. <c>/id</c> or <c>/event/type</c>) in the raw JSON body
    /// as a string: a JSON string as its text, a JSON number as its literal; null when the body is not JSON, the pointer
    /// finds nothing, or the value is of another kind.
    /// </summary>
    public static string? ReadJsonText(ReadOnlySpan<byte> json, string pointer)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            if (!MoveTo(ref reader, pointer))
            {
                return null;
            }

            return reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Reads an integer JSON number at <paramref name="pointer"/>: found and parsed, found but not an Int64, or absent.</summary>
    public static JsonLookup ReadJsonInt64(ReadOnlySpan<byte> json, string pointer, out long value)
    {
        value = 0;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            if (!MoveTo(ref reader, pointer))
            {
                return JsonLookup.Absent;
            }

            return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value) ? JsonLookup.Found : JsonLookup.Invalid;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return JsonLookup.Absent;
        }
    }

    /// <summary>The body parsed as JSON; null (and a <see cref="WebhookRefusal.Malformed"/> refusal) when it is not.</summary>
    public static JsonDocument? TryParseJson(ReadOnlyMemory<byte> body, out WebhookVerification? refusal)
    {
        refusal = null;
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            refusal = WebhookVerification.Refuse(WebhookRefusal.Malformed, "The body is not valid JSON.");
            return null;
        }
    }

    /// <summary>
    /// The value at <paramref name="path"/> (property names, one per level) as text: a JSON string's value, a number's raw
    /// text (an id such as HubSpot's <c>eventId</c> must not go through a double); null when absent or of another kind.
    /// </summary>
    public static string? ReadJsonText(JsonElement element, params ReadOnlySpan<string> path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="pointer"/> is an RFC 6901 JSON pointer that names something inside the document.</summary>
    public static bool IsJsonPointer(string? pointer)
    {
        if (string.IsNullOrEmpty(pointer) || pointer[0] != '/')
        {
            return false;
        }

        // "~" must be followed by 0 or 1 (RFC 6901 §3).
        for (var i = 0; i < pointer.Length; i++)
        {
            if (pointer[i] == '~' && (i + 1 == pointer.Length || (pointer[i + 1] != '0' && pointer[i + 1] != '1')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Walks the reader to the value at <paramref name="pointer"/>, skipping every sibling without materialising it.</summary>
    private static bool MoveTo(ref Utf8JsonReader reader, string pointer)
    {
        if (!IsJsonPointer(pointer) || !reader.Read())
        {
            return false;
        }

        var rest = pointer.AsSpan(1);
        while (true)
        {
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            if (!MoveToChild(ref reader, Unescape(segment)))
            {
                return false;
            }

            if (slash < 0)
            {
                return true;
            }

            rest = rest[(slash + 1)..];
        }
    }

    private static ReadOnlySpan<char> Unescape(ReadOnlySpan<char> segment) =>
        segment.Contains('~') ? segment.ToString().Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal) : segment;

    /// <summary>From a container token, moves to its child named <paramref name="segment"/> (a property name, or an index in an array).</summary>
    private static bool MoveToChild(ref Utf8JsonReader reader, ReadOnlySpan<char> segment)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(segment);
                if (!reader.Read())
                {
                    return false;
                }

                if (match)
                {
                    return true;
                }

                reader.Skip();
            }

            return false;
        }

        if (reader.TokenType == JsonTokenType.StartArray &&
            int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) &&
            (segment.Length == 1 || segment[0] != '0'))
        {
            for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
            {
                if (i == index)
                {
                    return true;
                }

                reader.Skip();
            }
        }

        return false;
    }
}

/// <summary>What <see cref="SchemeSupport.ReadJsonInt64"/> found.</summary>
internal enum JsonLookup
{
    Absent,
    Found,
    Invalid,
}

