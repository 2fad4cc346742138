using System.Text.Json;
using System.Text.Json.Serialization;

namespace Integrations.Api.Http;

/// <summary>The API's JSON: snake_case names, nulls omitted, enums as snake_case strings.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        MaxDepth = 16,
    };
}
