using System.Text.Json;
using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.OutboundWebhooks;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.OutboundWebhooks;

/// <summary>
/// Outbound webhook endpoints of a project: create, read, list, patch (JSON merge patch of every editable member), delete,
/// rotate the signing secret, and reveal it (the one route whose answer holds a secret value; it needs secrets:reveal too).
/// </summary>
public sealed class WebhookEndpointEndpoints(WebhookEndpointService endpoints)
{
    /// <summary>The top-level members a PATCH may name.</summary>
    private static readonly HashSet<string> PatchMembers = new(
        ["url", "description", "event_types", "enabled", "rate_limit_per_second", "timeout_ms", "retry", "headers"], StringComparer.Ordinal);

    public async Task<IResult> CreateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<WebhookEndpointInput>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        if (!await request.BeginChangeAsync("webhook-endpoint/(new)").ConfigureAwait(false))
        {
            return ApiProblems.AuditUnavailable();
        }

        var created = await endpoints.CreateAsync(request.Project, body.Value!, request.Caller.Id, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error!);
        }

        request.Audit.Target = WebhookEndpointRoutes.Target(created.Value!.Id);
        return Responses.Json(WebhookEndpointResponse.From(created.Value), StatusCodes.Status201Created);
    }

    public async Task<IResult> GetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetAsync(request.Project, Id(request), cancellationToken).ConfigureAwait(false);
        return endpoint.IsSuccess ? Responses.Json(WebhookEndpointResponse.From(endpoint.Value!)) : Problems.From(endpoint.Error!);
    }

    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var page = Query.Page(request.Request);
        if (!page.IsSuccess)
        {
            return Problems.From(page.Error!);
        }

        var listed = await endpoints.ListAsync(request.Project, page.Value, cancellationToken).ConfigureAwait(false);
        return listed.IsSuccess ? Responses.Page(listed.Value!, WebhookEndpointResponse.From) : Problems.From(listed.Error!);
    }

    /// <summary>
    /// PATCH: a JSON merge patch (RFC 7396) — a member left out is unchanged, <c>null</c> removes it (back to its default),
    /// <c>headers</c> and <c>retry</c> merge member by member. Validated whole, like a create.
    /// </summary>
    public async Task<IResult> PatchAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadElementAsync(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        if (body.Value.ValueKind != JsonValueKind.Object)
        {
            return Problems.From(HubError.Invalid(ApiProblems.MalformedJson, "The body must be a JSON object (a merge patch of the endpoint)."));
        }

        foreach (var member in body.Value.EnumerateObject())
        {
            if (!PatchMembers.Contains(member.Name))
            {
                // The member name is the caller's input: not echoed.
                return Problems.From(HubError.Invalid(WebhookEndpointProblems.InvalidPatch,
                    "PATCH may change url, description, event_types, enabled, rate_limit_per_second, timeout_ms, retry and headers; the secret is rotated with POST …/secret/rotate."));
            }
        }

        var patched = await endpoints.PatchAsync(request.Project, Id(request), current => JsonMergePatch.Apply(current, body.Value, "a webhook endpoint"), cancellationToken)
            .ConfigureAwait(false);
        return patched.IsSuccess ? Responses.Json(WebhookEndpointResponse.From(patched.Value!)) : Problems.From(patched.Error!);
    }

    public async Task<IResult> DeleteAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var deleted = await endpoints.DeleteAsync(request.Project, Id(request), request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return deleted.IsSuccess
            ? Responses.Json(new DeletedWebhookEndpointResponse(deleted.Value!.Id, deleted.Value.Url.OriginalString))
            : Problems.From(deleted.Error!);
    }

    public async Task<IResult> RotateSecretAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var rotated = await endpoints.RotateAsync(request.Project, Id(request), request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return rotated.IsSuccess ? Responses.Json(WebhookEndpointResponse.From(rotated.Value!)) : Problems.From(rotated.Error!);
    }

    public async Task<IResult> RevealSecretAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var id = Id(request);
        var revealed = await endpoints.RevealAsync(request.Project, id, cancellationToken).ConfigureAwait(false);
        return revealed.IsSuccess
            ? Responses.Json(new RevealedSecretsResponse(id, revealed.Value!.Select(k => new RevealedKeyResponse(k.KeyId, k.Secret, k.NotAfter)).ToList()))
            : Problems.From(revealed.Error!);
    }

    private static string Id(HubRequest request) => request.Values.Required(WebhookEndpointRoutes.IdParameter);
}
