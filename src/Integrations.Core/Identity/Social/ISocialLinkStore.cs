using Integrations.Core.Common;

namespace Integrations.Core.Identity.Social;

/// <summary>
/// Social links as authority rows (MAC'd; a row that fails is refused as absent and reported). Two rows per link: a claim
/// keyed by <see cref="SocialLink.LookupHash"/> naming the user (the login's point read), and the link row in the user's
/// partition (<c>l:{provider}</c>; a person's links are one range read). A link counts only when both verify and agree.
/// </summary>
public interface ISocialLinkStore
{
    /// <summary>Hex MAC of (provider, provider user id): the key a link is found under.</summary>
    ValueTask<string> LookupHashAsync(string provider, string providerUserId, CancellationToken cancellationToken = default);

    /// <summary>The user the (provider, provider user id) is linked to, or null (no claim, or a claim without its verified link row).</summary>
    Task<string?> FindUserAsync(string lookupHash, string provider, CancellationToken cancellationToken = default);

    /// <summary>The user's links, by provider.</summary>
    Task<IReadOnlyList<SocialLink>> ListAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a link: the claim, then the user's link row. <see cref="WriteOutcome.Conflict"/> when the provider account is
    /// linked to someone else or the user already has a link for this provider (nothing is left written then).
    /// </summary>
    Task<WriteOutcome> AddAsync(SocialLink link, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the link row, then makes a no-op write on the user row conditional on <paramref name="userETag"/> (putting the
    /// link row back if that fails), then the claim: two removals decided on the same reading of the account cannot both win.
    /// Read the user row before the links when deciding.
    /// <see cref="WriteOutcome.Conflict"/> when the user or the link changed since read.
    /// </summary>
    Task<WriteOutcome> RemoveAsync(SocialLink link, string userETag, CancellationToken cancellationToken = default);

    /// <summary>Removes every link of the user (claims first, while the link rows still name them). The number removed.</summary>
    Task<int> DeleteForUserAsync(string userId, CancellationToken cancellationToken = default);
}
