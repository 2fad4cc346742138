namespace Integrations.Core.Vault;

/// <summary>
/// A change of a secret's metadata without a new version (HTTP PATCH, JSON merge-patch semantics, RFC 7396). A field
/// left unset (<see cref="Unchanged"/>) keeps its value; <see cref="Description"/> set to null removes the description,
/// <see cref="Tags"/> set replaces the tags (empty to remove), <see cref="AuthType"/> set to null resets it to
/// <c>other</c>, and <see cref="Metadata"/> is merged entry by entry: a null value removes the key, a string sets it;
/// <see cref="ClearMetadata"/> removes every entry first (a <c>"metadata": null</c>).
/// </summary>
public sealed record SecretPatch
{
    public bool SetsDescription { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public bool SetsAuthType { get; init; }

    public string? AuthType { get; init; }

    public bool ClearMetadata { get; init; }

    public IReadOnlyDictionary<string, string?>? Metadata { get; init; }

    /// <summary>True when <see cref="ExpiresAt"/> is to be written (null removes it).</summary>
    public bool SetsExpiresAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>True when <see cref="RotateEvery"/> is to be written (null removes it).</summary>
    public bool SetsRotateEvery { get; init; }

    public TimeSpan? RotateEvery { get; init; }

    /// <summary>True when the patch changes nothing.</summary>
    public bool Unchanged => !SetsDescription && Tags is null && !SetsAuthType && !ClearMetadata && Metadata is null && !SetsExpiresAt && !SetsRotateEvery;
}
