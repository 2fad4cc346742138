namespace Integrations.Core.Connections;

/// <summary>Where an <c>api_key</c> connection sends its key: a header (default <c>X-API-Key</c>) or a query parameter.</summary>
public sealed record ApiKeyPlacement(ApiKeyLocation In, string Name)
{
    public static ApiKeyPlacement Default { get; } = new(ApiKeyLocation.Header, "X-API-Key");
}

public enum ApiKeyLocation
{
    Header,
    Query,
}
