namespace Integrations.Core.Crypto;

/// <summary>A hub key as stored: wrapped by the root wrapper. A retired KEK is no longer loaded.</summary>
public sealed record KeyRecord(
    string Id,
    KeyPurpose Purpose,
    WrappedKey Wrapped,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RetiredAt = null,
    string? ETag = null)
{
    public bool IsRetired => RetiredAt is not null;
}
