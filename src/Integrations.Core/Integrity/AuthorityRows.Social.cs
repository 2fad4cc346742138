using Integrations.Core.Identity.Social;

namespace Integrations.Core.Integrity;

// Social links: the rows that decide which person a provider's account logs in as.
public sealed partial class AuthorityRows
{
    /// <summary>The MAC domain of a social claim row: it decides which user a (provider, provider user id) logs in as.</summary>
    public const string SocialClaimKind = "social-claim/v1";

    /// <summary>The MAC domain of a user's social link row (one per provider, in the user's partition).</summary>
    public const string SocialLinkKind = "social-link/v1";

    // Not a row MAC: the keyed hash a (provider, provider user id) is found under, so no key or column shows the provider's id.
    private const string SocialLookupKind = "social-lookup/v1";

    /// <summary>
    /// Lowercase hex of a MAC under the authority key over the provider and the provider's user id: the claim's partition
    /// and the link row's <c>ProviderKey</c>. A storage reader learns no provider id and cannot test guesses without the key.
    /// </summary>
    public async ValueTask<string> SocialLookupHashAsync(string provider, string providerUserId, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(Convert.FromBase64String(authority.RowMac(SocialLookupKind, [provider, providerUserId])));
    }

    /// <summary>The MAC of a social claim: its partition (the lookup hash), the user and provider it names, and when it was made.</summary>
    public async ValueTask<string> SignSocialClaimAsync(string lookupHash, string userId, string provider, DateTimeOffset linkedAt, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(SocialClaimKind, [lookupHash, userId, provider, Time(linkedAt)]);
    }

    /// <summary>True when <paramref name="mac"/> binds the claim under <paramref name="lookupHash"/> to that user and provider.</summary>
    public async ValueTask<bool> VerifySocialClaimAsync(
        string lookupHash, string userId, string provider, DateTimeOffset linkedAt, string? mac, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(SocialClaimKind, [lookupHash, userId, provider, Time(linkedAt)], mac);
    }

    /// <summary>The MAC of a user's link row (<see cref="Fields(SocialLink)"/>).</summary>
    public async ValueTask<string> SignAsync(SocialLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(SocialLinkKind, Fields(link));
    }

    /// <summary>True when <paramref name="mac"/> covers the link's fields as they are.</summary>
    public async ValueTask<bool> VerifyAsync(SocialLink link, string? mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(SocialLinkKind, Fields(link), mac);
    }

    /// <summary>Every field of a link row, in MAC order (the user id and provider come from the row's keys).</summary>
    public static IReadOnlyList<string?> Fields(SocialLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return [link.UserId, link.Provider, link.LookupHash, link.Email, Time(link.LinkedAt)];
    }
}
