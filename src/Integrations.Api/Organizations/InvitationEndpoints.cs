using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Identity.Invitations;
using Integrations.Core.Identity.Organizations;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Organizations;

/// <summary>An organization's invitations over <see cref="InvitationService"/>: create, list, revoke, and a person accepting one.</summary>
public sealed class InvitationEndpoints(InvitationService invitations)
{
    /// <summary><c>POST /v1/orgs/{orgId}/invitations</c> {email, role} → 201 with the invitation, its token and link (this once).</summary>
    public async Task<IResult> CreateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<CreateInvitationRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var created = await invitations.CreateAsync(request.OrganizationId, body.Value.Email, body.Value.Role, request.Caller.Id, MemberEndpoints.ActsAsOwner(request.Caller),
            cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error);
        }

        request.Audit.Target = "invitation/" + created.Value.Invitation.Id;
        return Responses.Json(CreatedInvitationResponse.From(created.Value), StatusCodes.Status201Created);
    }

    /// <summary><c>GET /v1/orgs/{orgId}/invitations</c>: pending invitations, never a token.</summary>
    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = Query.Page(request.Request);
        if (!page.IsSuccess)
        {
            return Problems.From(page.Error);
        }

        var pending = await invitations.ListPendingAsync(request.OrganizationId, cancellationToken).ConfigureAwait(false);
        return Responses.Page(page.Value.Apply(pending.ToList()), InvitationResponse.From);
    }

    /// <summary><c>DELETE /v1/orgs/{orgId}/invitations/{invitationId}</c> → 204.</summary>
    public async Task<IResult> RevokeAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var revoked = await invitations.RevokeAsync(request.OrganizationId, request.Values.Required("invitationId"), MemberEndpoints.ActsAsOwner(request.Caller),
            cancellationToken).ConfigureAwait(false);
        return revoked.IsSuccess ? Results.NoContent() : Problems.From(revoked.Error);
    }

    /// <summary><c>POST /v1/invitations/accept</c> {token} → 200 {organization_id, role}.</summary>
    public async Task<IResult> AcceptAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<AcceptInvitationRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var accepted = await invitations.AcceptAsync(request.Caller.Id, body.Value.Token, cancellationToken).ConfigureAwait(false);
        if (!accepted.IsSuccess)
        {
            return Problems.From(accepted.Error);
        }

        request.Audit.Target = "organization/" + accepted.Value.OrganizationId;
        return Responses.Json(new AcceptedInvitationResponse(accepted.Value.OrganizationId, OrganizationRoles.Name(accepted.Value.Role)));
    }
}
