namespace Integrations.Core.Identity.Social;

/// <summary>
/// A person's link to an account at a social provider (Google, GitHub, Apple, …): one per provider per person. The provider's
/// user id is never stored in clear — only <see cref="LookupHash"/>, a MAC of (provider, provider user id) under the authority
/// key, the partition of the claim row that finds the person.
/// </summary>
/// <param name="UserId">The person (<c>usr_…</c>).</param>
/// <param name="Provider">The provider's slug (lowercase letters, digits, '-').</param>
/// <param name="LookupHash">Hex MAC of (provider, provider user id).</param>
/// <param name="Email">The address the provider reported when the link was made (shown to the person; personal data).</param>
/// <param name="LinkedAt">When the link was made.</param>
public sealed record SocialLink(string UserId, string Provider, string LookupHash, string Email, DateTimeOffset LinkedAt)
{
    /// <summary>The row's ETag as read; a removal is conditional on it. Not part of the MAC.</summary>
    public string? ETag { get; init; }
}

/// <summary>
/// The verified profile the platform's app sends after running the provider's sign-in itself (seed 002). The hub trusts it
/// because the request carries the platform's key with <see cref="Scopes.AuthSocialLogin"/>, not because of anything in it.
/// </summary>
public sealed record SocialProfile(
    string? Provider, string? ProviderUserId, string? Email, bool EmailVerified, string? DisplayName, string? AvatarUrl)
{
    public override string ToString() => $"SocialProfile {{ Provider = {Provider}, EmailVerified = {EmailVerified} }}";
}

/// <summary>How a social login found its person: an existing link, a link just made to an account with the address, or a new account.</summary>
public enum SocialLoginBranch
{
    Linked,
    LinkedToExisting,
    Created,
}
