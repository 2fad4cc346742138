using System.Text.Json;
using System.Text.Json.Nodes;
using Integrations.Core.Common;

namespace Integrations.Api.Http;

/// <summary>JSON merge patch (RFC 7396) over an input record, for the PATCH routes of connections and webhook sources.</summary>
internal static class JsonMergePatch
{
    /// <summary>
    /// <paramref name="current"/> with <paramref name="patch"/> applied (RFC 7396 §2), read back as a <typeparamref name="T"/>;
    /// a patch that does not fit is refused naming the field, <paramref name="what"/> (e.g. "a connection") when it names none.
    /// </summary>
    public static Result<T> Apply<T>(T current, JsonElement patch, string what)
        where T : class
    {
        var document = JsonSerializer.SerializeToNode(current, ApiJson.Options) ?? new JsonObject();
        var merged = Merge(document, patch);
        try
        {
            return merged.Deserialize<T>(ApiJson.Options) is { } input
                ? input
                : HubError.Invalid(ApiProblems.MalformedJson, "The body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? null : ex.Path.TrimStart('$', '.');
            return HubError.Invalid(ApiProblems.MalformedJson, field is null ? $"The patch does not fit {what}." : $"'{field}' has the wrong type.", field);
        }
    }

    private static JsonNode? Merge(JsonNode? target, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return JsonNode.Parse(patch.GetRawText());
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var member in patch.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                result.Remove(member.Name);
            }
            else
            {
                var existing = result[member.Name];
                result.Remove(member.Name);
                result[member.Name] = Merge(existing?.DeepClone(), member.Value);
            }
        }

        return result;
    }
}
