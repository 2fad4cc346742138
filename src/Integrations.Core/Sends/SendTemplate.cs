using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HandlebarsDotNet;
using Integrations.Core.Common;

namespace Integrations.Core.Sends;

/// <summary>
/// Fills <c>{{name}}</c> and <c>{{a.b.c}}</c> placeholders in the string values of a send's body from its <c>context</c>,
/// with Handlebars.Net used logic-less. A value lands inside the JSON string it was written in — the body is written
/// back with a JSON writer, which escapes it — so a context value can never add members, close a string or change a type.
/// </summary>
/// <remarks>
/// <para>Only plain placeholders are accepted: every <c>{{</c> in a string must open one (a path of names joined by dots);
/// block helpers (<c>{{#each}}</c>, <c>{{#if}}</c>), partials, triple-stash, comments, <c>this</c>, <c>../</c>,
/// helper calls with arguments and <c>\{{</c> escapes are refused, so nothing of Handlebars runs on the caller's data but
/// substitution.</para>
/// <para>Paths are resolved here, against the context's JSON, not by Handlebars: Handlebars would read .NET members
/// (<c>{{name.Length}}</c> of a string is its length), so each placeholder is rewritten to a numbered name bound to the
/// value already resolved, in a flat dictionary of strings. Strings are inserted as they are, numbers as their JSON text,
/// booleans as <c>true</c>/<c>false</c>; a missing member or null is an empty string; an object or array is refused.
/// Handlebars escapes HTML by default; that is off (<see cref="HandlebarsConfiguration.NoEscape"/>): the JSON writer does
/// the only escaping a JSON string needs.</para>
/// <para>All templated strings of a body are joined into one template (with a random separator no string or value
/// contains) and compiled once per request, with no cache: compiling costs milliseconds, so the template text is bounded
/// (<see cref="MaxTemplateChars"/>, <see cref="MaxPlaceholders"/>), and a cache would keep callers' texts in memory.</para>
/// </remarks>
public static partial class SendTemplate
{
    /// <summary>The most characters of templated strings (those holding <c>{{</c>) one body may have.</summary>
    public const int MaxTemplateChars = 64 * 1024;

    /// <summary>The most placeholders one body may have.</summary>
    public const int MaxPlaceholders = 500;

    // One environment for every request: no helpers or partials are ever registered on it.
    private static readonly IHandlebars Engine = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = false });

    /// <summary>
    /// The body with its placeholders filled, as JSON text; null when there is no body. An error says which rule a string broke
    /// (never quoting a context value).
    /// </summary>
    public static Result<string?> Render(JsonElement? body, JsonElement? context)
    {
        if (body is not { } root || root.ValueKind == JsonValueKind.Undefined)
        {
            return (string?)null;
        }

        var templated = new List<string>();
        Collect(root, templated);
        var outputs = templated.Count == 0 ? (Result<IReadOnlyList<string>>)Array.Empty<string>() : Fill(templated, context);
        if (!outputs.IsSuccess)
        {
            return outputs.Error;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var next = 0;
            Write(writer, root, outputs.Value, ref next);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Collect(JsonElement element, List<string> templated)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    Collect(member.Value, templated);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, templated);
                }

                break;
            case JsonValueKind.String when element.GetString() is { } text && text.Contains("{{", StringComparison.Ordinal):
                templated.Add(text);
                break;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, IReadOnlyList<string> outputs, ref int next)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var member in element.EnumerateObject())
                {
                    writer.WritePropertyName(member.Name);
                    Write(writer, member.Value, outputs, ref next);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, outputs, ref next);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String when element.GetString() is { } text && text.Contains("{{", StringComparison.Ordinal):
                // The rendered text as a JSON string value: the writer escapes quotes, backslashes and control characters.
                writer.WriteStringValue(outputs[next++]);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static Result<IReadOnlyList<string>> Fill(List<string> templated, JsonElement? context)
    {
        if (templated.Sum(t => t.Length) > MaxTemplateChars)
        {
            return Refused($"the strings holding placeholders add up to more than {MaxTemplateChars} characters");
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var rewritten = new List<string>(templated.Count);
        foreach (var text in templated)
        {
            var output = new StringBuilder(text.Length);
            var position = 0;
            while (text.IndexOf("{{", position, StringComparison.Ordinal) is var open and >= 0)
            {
                if (open > 0 && text[open - 1] == '\\')
                {
                    return Refused("a string holds an escaped placeholder (\\{{); only plain {{name}} placeholders are supported");
                }

                var match = Placeholder().Match(text, open);
                if (!match.Success || match.Index != open)
                {
                    return Refused("a string holds '{{' that does not open a plain placeholder such as {{name}} or {{customer.name}} (no blocks, helpers, partials or this)");
                }

                if (values.Count >= MaxPlaceholders)
                {
                    return Refused($"the body has more than {MaxPlaceholders} placeholders");
                }

                var path = match.Groups[1].Value;
                var resolved = Resolve(context, path);
                if (!resolved.IsSuccess)
                {
                    return resolved.Error;
                }

                var name = "v" + values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                values[name] = resolved.Value;
                output.Append(text, position, open - position).Append("{{").Append(name).Append("}}");
                position = match.Index + match.Length;
            }

            output.Append(text, position, text.Length - position);
            rewritten.Add(output.ToString());
        }

        // A separator that no template text and no value contains, so the one rendering splits back into its strings.
        string separator;
        do
        {
            separator = "\u241E" + Ids.New("s") + "\u241E";
        }
        while (rewritten.Any(t => t.Contains(separator, StringComparison.Ordinal))
            || values.Values.Any(v => v is string s && s.Contains(separator, StringComparison.Ordinal)));

        string rendered;
        try
        {
            rendered = Engine.Compile(string.Join(separator, rewritten))(values);
        }
        catch (HandlebarsException)
        {
            // E.g. a '}}}' after a placeholder: Handlebars reads a triple-stash end.
            return Refused("a string does not parse as a template (check the braces around placeholders)");
        }

        var parts = rendered.Split(separator);
        if (parts.Length != rewritten.Count)
        {
            throw new InvalidOperationException("A rendered body did not split back into its strings.");
        }

        return parts;
    }

    /// <summary>The placeholder's value as text: a string as is, a number as its JSON text, a boolean as true/false, missing or null as empty.</summary>
    private static Result<string> Resolve(JsonElement? context, string path)
    {
        if (context is not { ValueKind: JsonValueKind.Object } current)
        {
            return string.Empty;
        }

        foreach (var segment in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out var child))
            {
                return string.Empty;
            }

            current = child;
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString()!,
            JsonValueKind.Number => current.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => string.Empty,
            // The path is the caller's own template text; the value is never quoted.
            _ => Refused($"the placeholder {{{{{path}}}}} names an object or array; name a plain value inside it"),
        };
    }

    private static HubError Refused(string why) => HubError.Invalid(SendErrors.TemplateRefused, $"The body's template was refused: {why}. Nothing was sent.", "body");

    // {{ name }} or {{ a.b.c }}: names of letters, digits, _, $ and -, not starting with a digit or '-'; not 'this'.
    [GeneratedRegex(@"\G\{\{\s*((?!this\b)[A-Za-z_$][A-Za-z0-9_$\-]*(?:\.[A-Za-z_$][A-Za-z0-9_$\-]*)*)\s*\}\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Placeholder();
}
