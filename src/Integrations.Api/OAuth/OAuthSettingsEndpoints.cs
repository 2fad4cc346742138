using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.OAuth.Flows;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.OAuth;

/// <summary>A project's OAuth settings: the origins <c>redirect_after</c> may point at.</summary>
public sealed class OAuthSettingsEndpoints(IProjectOAuthSettingsStore store, RedirectAfterPolicy policy, OAuthStateService states, TimeProvider time)
{
    public async Task<IResult> GetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var settings = await store.GetAsync(request.OrganizationId, request.Project.Id, cancellationToken).ConfigureAwait(false)
            ?? ProjectOAuthSettings.Empty(request.OrganizationId, request.Project.Id);
        return Responses.Json(OAuthSettingsResponse.From(settings, states.RedirectUri));
    }

    public async Task<IResult> PutAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<OAuthSettingsRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var origins = policy.NormalizeOrigins(body.Value.AllowedRedirectOrigins);
        if (!origins.IsSuccess)
        {
            return Problems.From(origins.Error);
        }

        var settings = new ProjectOAuthSettings
        {
            OrganizationId = request.OrganizationId,
            ProjectId = request.Project.Id,
            AllowedRedirectOrigins = origins.Value,
            UpdatedBy = request.Caller.Id,
            UpdatedAt = time.GetUtcNow(),
        };
        await store.SetAsync(settings, cancellationToken).ConfigureAwait(false);
        return Responses.Json(OAuthSettingsResponse.From(settings, states.RedirectUri));
    }
}
