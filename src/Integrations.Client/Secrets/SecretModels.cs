namespace Integrations.Client.Secrets;

/// <summary>A secret's metadata, never its value (<see cref="SecretsClient.RevealAsync(string, string, int?, CancellationToken)"/> gives that).</summary>
public sealed record Secret(
    string Id, string Name, int Version, string? Description, IReadOnlyList<string> Tags, string AuthType, IReadOnlyDictionary<string, string>? Metadata,
    string CreatedBy, DateTimeOffset CreatedAt, string UpdatedBy, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, DateTimeOffset? PurgeAfter,
    DateTimeOffset? ExpiresAt = null, string? RotateEvery = null);

/// <summary>One version of a secret (who wrote it, when).</summary>
public sealed record SecretVersion(int Version, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>A revealed value and the version it is. <see cref="ToString"/> never shows <see cref="Value"/>.</summary>
public sealed record RevealedSecret(string Name, int Version, string Value)
{
    public override string ToString() => $"RevealedSecret {{ Name = {Name}, Version = {Version} }}";
}

/// <summary>A secret to create. <see cref="ToString"/> never shows <see cref="Value"/>.</summary>
public sealed record NewSecret(string Name, string Value)
{
    public string? Description { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary><c>api_key</c>, <c>bearer</c>, <c>basic</c> … (the hub's default when null).</summary>
    public string? AuthType { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>An ISO 8601 duration such as <c>P90D</c>.</summary>
    public string? RotateEvery { get; init; }

    public override string ToString() => $"NewSecret {{ Name = {Name} }}";
}

/// <summary>A list query: a name prefix, a tag, deleted secrets instead of live ones, the page.</summary>
public sealed record SecretQuery
{
    public string? Search { get; init; }

    public string? Tag { get; init; }

    public string? AuthType { get; init; }

    /// <summary>True: list soft-deleted secrets (restorable) instead.</summary>
    public bool Deleted { get; init; }

    public int Page { get; init; } = 1;

    public int PerPage { get; init; } = 20;
}
