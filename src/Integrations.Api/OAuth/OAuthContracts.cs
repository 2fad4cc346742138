using Integrations.Core.OAuth.Flows;

namespace Integrations.Api.OAuth;

/// <summary>The body of <c>PUT …/oauth/settings</c>.</summary>
public sealed record OAuthSettingsRequest(IReadOnlyList<string?>? AllowedRedirectOrigins);

/// <summary>A project's OAuth settings as the API shows them.</summary>
public sealed record OAuthSettingsResponse(IReadOnlyList<string> AllowedRedirectOrigins, string RedirectUri, string? UpdatedBy, DateTimeOffset? UpdatedAt)
{
    public static OAuthSettingsResponse From(ProjectOAuthSettings settings, Uri redirectUri) =>
        new(settings.AllowedRedirectOrigins, redirectUri.AbsoluteUri, settings.UpdatedBy, settings.UpdatedAt);
}
