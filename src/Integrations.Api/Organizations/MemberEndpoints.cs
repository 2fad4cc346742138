using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Organizations;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Organizations;

/// <summary>An organization's members over <see cref="OrganizationMembers"/>: list, change a role, remove.</summary>
public sealed class MemberEndpoints(OrganizationMembers members)
{
    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = Query.Page(request.Request);
        if (!page.IsSuccess)
        {
            return Problems.From(page.Error);
        }

        var all = await members.ListAsync(request.OrganizationId, cancellationToken).ConfigureAwait(false);
        return Responses.Page(page.Value.Apply(all.ToList()), MemberResponse.From);
    }

    /// <summary><c>POST /v1/orgs/{orgId}/members</c> {user_id, role} → 201 with the member.</summary>
    public async Task<IResult> AddAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<AddMemberRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var added = await members.AddAsync(request.OrganizationId, body.Value.UserId, body.Value.Role, ActsAsOwner(request.Caller), cancellationToken).ConfigureAwait(false);
        if (!added.IsSuccess)
        {
            return Problems.From(added.Error);
        }

        request.Audit.Target = MemberRoutes.Target(added.Value.Membership.UserId);
        return Responses.Json(MemberResponse.From(added.Value), StatusCodes.Status201Created);
    }

    public async Task<IResult> ChangeAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<ChangeMemberRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var changed = await members.ChangeRoleAsync(request.OrganizationId, request.Values.Required("userId"), body.Value.Role, ActsAsOwner(request.Caller), cancellationToken)
            .ConfigureAwait(false);
        return changed.IsSuccess ? Responses.Json(MemberResponse.From(changed.Value)) : Problems.From(changed.Error);
    }

    public async Task<IResult> RemoveAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var removed = await members.RemoveAsync(request.OrganizationId, request.Values.Required("userId"), ActsAsOwner(request.Caller), cancellationToken).ConfigureAwait(false);
        return removed.IsSuccess ? Results.NoContent() : Problems.From(removed.Error);
    }

    /// <summary>
    /// Whether the caller acts with an Owner's authority: a person whose role is Owner, or an API key holding
    /// <see cref="Scopes.Admin"/> (a scope only Owners hold, and the organization's first key has).
    /// </summary>
    public static bool ActsAsOwner(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Kind == CallerKind.User ? caller.Role == OrganizationRole.Owner : caller.HasScope(Scopes.Admin);
    }
}
