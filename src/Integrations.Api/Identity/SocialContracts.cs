namespace Integrations.Api.Identity;

/// <summary><c>POST /v1/auth/social-login</c>: the profile the platform's app verified. <see cref="ToString"/> leaves the provider's user id and address out.</summary>
public sealed record SocialLoginRequest(
    string? Provider, string? ProviderUserId, string? Email, bool? EmailVerified, string? DisplayName, string? AvatarUrl, string? OrganizationId)
{
    public override string ToString() => $"SocialLoginRequest {{ Provider = {Provider}, OrganizationId = {OrganizationId} }}";
}

/// <summary>
/// One of the person's social connections. The provider's user id is not shown: the hub keeps only a keyed hash of it, and
/// the person knows which account they connected by the address.
/// </summary>
public sealed record SocialConnectionResponse(string Provider, string Email, DateTimeOffset LinkedAt);

/// <summary><c>GET /v1/me/social-connections</c>.</summary>
public sealed record SocialConnectionsResponse(IReadOnlyList<SocialConnectionResponse> Data);
