namespace Integrations.Core.Connections;

/// <summary>
/// A connection's configuration as a caller writes it (the API's request body, snake_case on the wire): every field
/// nullable, so a missing field is reported by <see cref="ConnectionRules"/>, not by the parser. A PATCH is this shape
/// too: the current configuration (<see cref="From"/>) with the caller's JSON merge patch applied, validated whole.
/// </summary>
public sealed record ConnectionInput
{
    public string? Name { get; init; }

    /// <summary>A wire name of <see cref="ConnectionTypes"/> (<c>oauth2_3leg</c> accepted as an alias).</summary>
    public string? Type { get; init; }

    public string? ProviderId { get; init; }

    public string? Description { get; init; }

    public string? BaseUrl { get; init; }

    public IReadOnlyDictionary<string, string?>? DefaultHeaders { get; init; }

    /// <summary>Default <see cref="Connection.DefaultTimeout"/>; 1 to 60.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>Default <see cref="Connection.DefaultRetries"/>; 0 to 5.</summary>
    public int? Retries { get; init; }

    public string? RetryStrategy { get; init; }

    public bool? Enabled { get; init; }

    public IReadOnlyDictionary<string, string?>? SecretRefs { get; init; }

    public ApiKeyPlacementInput? ApiKey { get; init; }

    public IReadOnlyList<string?>? Scopes { get; init; }

    public EndUserInput? EndUser { get; init; }

    public IReadOnlyList<ProxyRuleInput?>? Policy { get; init; }

    public TestRequestInput? TestRequest { get; init; }

    /// <summary>The input that describes <paramref name="connection"/>'s configuration as it stands (the base of a PATCH).</summary>
    public static ConnectionInput From(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new ConnectionInput
        {
            Name = connection.Name,
            Type = ConnectionTypes.NameOf(connection.Type),
            ProviderId = connection.ProviderId,
            Description = connection.Description,
            BaseUrl = connection.BaseUrl?.OriginalString,
            DefaultHeaders = connection.DefaultHeaders.ToDictionary(h => h.Key, h => (string?)h.Value, StringComparer.OrdinalIgnoreCase),
            TimeoutSeconds = connection.Timeout.TotalSeconds,
            Retries = connection.Retries,
            RetryStrategy = connection.RetryStrategy,
            Enabled = connection.Enabled,
            SecretRefs = connection.SecretRefs.ToDictionary(r => r.Key, r => (string?)r.Value, StringComparer.Ordinal),
            ApiKey = connection.ApiKey is { } placement ? new ApiKeyPlacementInput(ApiKeyPlacementInput.NameOf(placement.In), placement.Name) : null,
            Scopes = connection.Scopes.ToList<string?>(),
            EndUser = connection.EndUser is { } user ? new EndUserInput(user.Id, user.DisplayName) : null,
            Policy = connection.Policy.Select(r => (ProxyRuleInput?)new ProxyRuleInput(ProxyRuleInput.NameOf(r.Effect), r.Methods.ToList<string?>(), r.PathGlob)).ToList(),
            TestRequest = new TestRequestInput(connection.TestMethod, connection.TestPath),
        };
    }
}

/// <summary>An <c>api_key</c> connection's placement: <c>in</c> is <c>header</c> or <c>query</c>.</summary>
public sealed record ApiKeyPlacementInput(string? In, string? Name)
{
    public const string Header = "header";
    public const string Query = "query";

    public static string NameOf(ApiKeyLocation location) => location == ApiKeyLocation.Query ? Query : Header;
}

/// <summary>The platform user a connection belongs to.</summary>
public sealed record EndUserInput(string? Id, string? DisplayName);

/// <summary>One policy rule: <c>effect</c> <c>allow</c> or <c>deny</c>, HTTP methods (empty: any) and a path glob.</summary>
public sealed record ProxyRuleInput(string? Effect, IReadOnlyList<string?>? Methods, string? Path)
{
    public const string Allow = "allow";
    public const string Deny = "deny";

    public static string NameOf(ProxyRuleEffect effect) => effect == ProxyRuleEffect.Deny ? Deny : Allow;
}

/// <summary>The request <c>POST …/test</c> sends: a method and a path below the base URL.</summary>
public sealed record TestRequestInput(string? Method, string? Path);
