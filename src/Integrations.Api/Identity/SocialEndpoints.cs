using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Identity.Social;
using Integrations.Core.Identity.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Identity;

/// <summary>
/// Social login and a person's social connections, over <see cref="SocialLoginService"/>. Bodies hold the provider's user id
/// and answers hold tokens: neither is logged, audited (the record names <c>user/{id}</c> at most) or echoed in a problem.
/// </summary>
public sealed class SocialEndpoints(SocialLoginService social, IOptions<RecoveryOptions> auth)
{
    public async Task<IResult> SocialLoginAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The scope step has checked auth:social-login; the key must also be the platform's own. A key of another organization
        // (however it came to hold the scope) could otherwise assert a profile with the address of any other tenant's person.
        var platform = auth.Value.Platform.OrganizationId;
        if (request.Caller.Kind != CallerKind.ApiKey || string.IsNullOrEmpty(platform) || !string.Equals(request.Caller.OrganizationId, platform, StringComparison.Ordinal))
        {
            return Problems.Create(StatusCodes.Status403Forbidden, SocialErrors.PlatformKeyOnly, "Forbidden",
                "Social login is open only to an API key of the platform's own organization (Auth:Platform:OrganizationId) holding auth:social-login.");
        }

        var body = await JsonBody.ReadAsync<SocialLoginRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var b = body.Value;
        var profile = new SocialProfile(b.Provider, b.ProviderUserId, b.Email, b.EmailVerified ?? false, b.DisplayName, b.AvatarUrl);
        var outcome = await social.LoginAsync(profile, request.Audit.SourceAddress ?? "unknown", b.OrganizationId, cancellationToken).ConfigureAwait(false);
        if (!outcome.IsSuccess)
        {
            return Problems.From(outcome.Error);
        }

        var tokens = outcome.Value.Tokens;
        request.Audit.Target = "user/" + tokens.User.Id;
        return Responses.Json(new TokenResponse(tokens.AccessToken.Token, "Bearer", (long)(tokens.AccessToken.ExpiresAt - tokens.AccessToken.IssuedAt).TotalSeconds,
            tokens.RefreshToken, UserResponse.From(tokens.User), tokens.Organization.OrganizationId, tokens.Organization.Role));
    }

    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Audit.Target = "user/" + request.Caller.Id;
        var links = await social.ListAsync(request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return Responses.Json(new SocialConnectionsResponse([.. links.Select(l => new SocialConnectionResponse(l.Provider, l.Email, l.LinkedAt))]));
    }

    public async Task<IResult> DeleteAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Audit.Target = "user/" + request.Caller.Id;
        var removed = await social.UnlinkAsync(request.Caller.Id, request.Values["provider"], cancellationToken).ConfigureAwait(false);
        return removed.IsSuccess ? Results.NoContent() : Problems.From(removed.Error);
    }
}
