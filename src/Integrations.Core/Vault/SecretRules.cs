using System.Buffers;
using Integrations.Core.Common;

namespace Integrations.Core.Vault;

/// <summary>What names, descriptions and tags may be.</summary>
public static class SecretRules
{
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 1024;
    public const int MaxTags = 20;
    public const int MaxTagLength = 64;

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && !name.AsSpan().ContainsAnyExcept(NameChars);

    public static HubError? ValidateName(string? name) => IsValidName(name)
        ? null
        : HubError.Invalid(CommonErrors.InvalidName, $"name must be 1 to {MaxNameLength} characters of A-Z, a-z, 0-9, '.', '_' or '-'.", "name");

    public static HubError? ValidateDescription(string? description) => description is { Length: > MaxDescriptionLength }
        ? HubError.Invalid(VaultErrors.InvalidDescription, $"description must be at most {MaxDescriptionLength} characters.", "description")
        : null;

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

    public static bool IsValidTag(string? tag) =>
        !string.IsNullOrEmpty(tag) && tag.Length <= MaxTagLength && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':');
}
