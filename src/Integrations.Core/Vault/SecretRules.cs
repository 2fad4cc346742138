using System.Buffers;
using Integrations.Core.Common;

namespace Integrations.Core.Vault;

/// <summary>What names, descriptions, tags, auth types and metadata may be.</summary>
public static class SecretRules
{
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 1024;
    public const int MaxTags = 20;
    public const int MaxTagLength = 64;
    public const int MaxMetadataEntries = 32;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;

    /// <summary>
    /// The literal path segment of the by-id routes (<c>…/secrets/by-id/{secretId}</c>). A secret of that name (in any
    /// case: routes match literals case-insensitively) would lose its <c>…/{name}/versions</c> to the by-id route.
    /// </summary>
    public const string ByIdSegment = "by-id";

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>
    /// A name is 1 to 128 of [A-Za-z0-9._-], every one of which a client sends unescaped in a URL path segment
    /// (RFC 3986 unreserved). Refused besides: names made only of dots (<c>.</c> and <c>..</c> are removed from a
    /// URL by dot-segment normalisation, RFC 3986 §5.2.4, so the secret could never be addressed by name again) and
    /// <see cref="ByIdSegment"/>.
    /// </summary>
    /// <summary>
    /// Names under this prefix belong to the hub (a connection's OAuth tokens: <c>connection.{id}.oauth</c>). The
    /// secrets API lists them but does not reveal, change or create them, so <c>secrets:reveal</c> or
    /// <c>secrets:write</c> cannot get round <c>connections:token</c> or break a connection's refresh.
    /// </summary>
    public const string HubManagedPrefix = "connection.";

    /// <summary>
    /// Names under this prefix belong to the hub too: a webhook source's signing secrets (<c>webhook.{sourceId}.{keyId}</c>),
    /// changed only through the source's routes, so <c>secrets:write</c> cannot swap in a secret an attacker knows and
    /// <c>secrets:reveal</c> cannot get round <c>webhooks:write</c>.
    /// </summary>
    public const string WebhookManagedPrefix = "webhook.";

    /// <summary>Every prefix of hub-managed names.</summary>
    public static IReadOnlyList<string> HubManagedPrefixes { get; } = [HubManagedPrefix, WebhookManagedPrefix];

    public static bool IsHubManaged(string name) =>
        name.StartsWith(HubManagedPrefix, StringComparison.Ordinal) || name.StartsWith(WebhookManagedPrefix, StringComparison.Ordinal);

    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && !name.AsSpan().ContainsAnyExcept(NameChars)
        && name.AsSpan().ContainsAnyExcept('.') && !string.Equals(name, ByIdSegment, StringComparison.OrdinalIgnoreCase);

    public static HubError? ValidateName(string? name) => IsValidName(name)
        ? null
        : HubError.Invalid(CommonErrors.InvalidName,
            $"name must be 1 to {MaxNameLength} characters of A-Z, a-z, 0-9, '.', '_' or '-', not only dots, and not '{ByIdSegment}'.", "name");

    public static HubError? ValidateDescription(string? description)
    {
        if (description is { Length: > MaxDescriptionLength })
        {
            return HubError.Invalid(VaultErrors.InvalidDescription, $"description must be at most {MaxDescriptionLength} characters.", "description");
        }

        return PrintableText.IsPrintable(description)
            ? null
            : HubError.Invalid(VaultErrors.InvalidDescription, "description must not contain control, format (bidi, zero-width) or other non-printing characters.", "description");
    }

    public static HubError? ValidateTags(IReadOnlyList<string>? tags)
    {
        if (tags is null)
        {
            return null;
        }

        if (tags.Count > MaxTags)
        {
            return HubError.Invalid(VaultErrors.InvalidTags, $"at most {MaxTags} tags.", "tags");
        }

        return tags.Any(t => !IsValidTag(t))
            ? HubError.Invalid(VaultErrors.InvalidTags, $"each tag must be 1 to {MaxTagLength} characters of A-Z, a-z, 0-9, '.', '_', '-' or ':'.", "tags")
            : null;
    }

    /// <summary>Tags are ASCII letters, digits and <c>._-:</c>: printable by construction.</summary>
    public static bool IsValidTag(string? tag) =>
        !string.IsNullOrEmpty(tag) && tag.Length <= MaxTagLength && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':');

    /// <summary>Shortest and longest <c>rotate_every</c>.</summary>
    public static readonly TimeSpan MinRotateEvery = TimeSpan.FromDays(1);

    public static readonly TimeSpan MaxRotateEvery = TimeSpan.FromDays(3650);

    public static HubError? ValidateRotateEvery(TimeSpan? rotateEvery) => rotateEvery is null || (rotateEvery >= MinRotateEvery && rotateEvery <= MaxRotateEvery)
        ? null
        : HubError.Invalid(VaultErrors.InvalidRotationPeriod, "rotate_every must be an ISO 8601 duration between P1D and P3650D (e.g. \"P90D\").", "rotate_every");

    public static HubError? ValidateAuthType(string? authType) => authType is null || SecretAuthTypes.IsKnown(authType)
        ? null
        : HubError.Invalid(VaultErrors.InvalidAuthType, $"auth_type must be one of {string.Join(", ", SecretAuthTypes.All)}.", "auth_type");

    /// <summary>
    /// At most 32 entries; keys 1 to 64 characters, values at most 512, both printable without surrounding spaces on
    /// keys. The bounds keep the stored form (JSON) inside one Table property (64 KiB) whatever the characters.
    /// </summary>
    public static HubError? ValidateMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        if (metadata.Count > MaxMetadataEntries)
        {
            return HubError.Invalid(VaultErrors.InvalidMetadata, $"metadata has at most {MaxMetadataEntries} entries.", "metadata");
        }

        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key) || key.Length > MaxMetadataKeyLength || key.Trim().Length != key.Length || !PrintableText.IsPrintable(key))
            {
                return HubError.Invalid(VaultErrors.InvalidMetadata,
                    $"each metadata key must be 1 to {MaxMetadataKeyLength} printable characters without surrounding spaces.", "metadata");
            }

            if (value is null || value.Length > MaxMetadataValueLength || !PrintableText.IsPrintable(value))
            {
                return HubError.Invalid(VaultErrors.InvalidMetadata,
                    $"each metadata value must be a string of at most {MaxMetadataValueLength} printable characters.", "metadata");
            }
        }

        return null;
    }
}
