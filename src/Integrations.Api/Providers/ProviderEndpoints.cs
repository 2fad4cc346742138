using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.OAuth;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Providers;

/// <summary>
/// The template catalog (read-only, the same for everyone) and a project's providers: create (from a template, an
/// issuer or endpoints), list, get, patch, delete. A client secret sent here goes to the vault; responses name it only.
/// </summary>
public sealed class ProviderEndpoints(ProviderService providers)
{
    public static Task<IResult> ListTemplatesAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = Query.Page(request.Request);
        if (!page.IsSuccess)
        {
            return Task.FromResult(Problems.From(page.Error));
        }

        var all = page.Value.Apply(ProviderTemplates.All.ToList());
        return Task.FromResult(Responses.Page(all, ProviderTemplateResponse.From));
    }

    public static Task<IResult> GetTemplateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var template = ProviderTemplates.Find(request.Values[ProviderRoutes.TemplateIdParameter]);
        return Task.FromResult(template is null
            ? Problems.From(new HubError(ErrorKind.NotFound, ProviderProblems.TemplateNotFound, "No template has this id: see GET /v1/provider-templates."))
            : Responses.Json(ProviderTemplateResponse.From(template)));
    }

    public async Task<IResult> CreateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<ProviderRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        if (!await request.BeginChangeAsync(ProviderRoutes.TargetByName(body.Value.Name)).ConfigureAwait(false))
        {
            return ApiProblems.AuditUnavailable();
        }

        var created = await providers.CreateAsync(request.Project, body.Value.ToInput(), request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return created.IsSuccess
            ? Responses.Json(ProviderResponse.From(created.Value), StatusCodes.Status201Created)
            : Problems.From(created.Error);
    }

    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = Query.Page(request.Request);
        if (!page.IsSuccess)
        {
            return Problems.From(page.Error);
        }

        var list = await providers.ListAsync(request.Project, page.Value, cancellationToken).ConfigureAwait(false);
        return list.IsSuccess ? Responses.Page(list.Value, ProviderResponse.From) : Problems.From(list.Error);
    }

    public async Task<IResult> GetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var provider = await providers.GetAsync(request.Project, request.Values[ProviderRoutes.ProviderIdParameter], cancellationToken).ConfigureAwait(false);
        return provider.IsSuccess ? Responses.Json(ProviderResponse.From(provider.Value)) : Problems.From(provider.Error);
    }

    /// <summary>PATCH: the members sent are changed, the others (and any sent as null) stay; template and template_parameters cannot change.</summary>
    public async Task<IResult> PatchAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<ProviderRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var patched = await providers.PatchAsync(request.Project, request.Values[ProviderRoutes.ProviderIdParameter], body.Value.ToInput(), request.Caller.Id, cancellationToken)
            .ConfigureAwait(false);
        return patched.IsSuccess ? Responses.Json(ProviderResponse.From(patched.Value)) : Problems.From(patched.Error);
    }

    public async Task<IResult> DeleteAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deleted = await providers.DeleteAsync(request.Project, request.Values[ProviderRoutes.ProviderIdParameter], request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return deleted.IsSuccess ? Results.NoContent() : Problems.From(deleted.Error);
    }
}
