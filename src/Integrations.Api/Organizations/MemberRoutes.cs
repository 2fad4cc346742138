using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Users;

namespace Integrations.Api.Organizations;

/// <summary>An organization's member routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class MemberRoutes
{
    private const string Collection = "v1/orgs/{orgId}/members";

    public static ApiRoute List { get; } = new("ListMembers", "GET", Collection,
        "List the organization's members: user id, email, display name, role, personal flag and since when.",
        RouteAccess.Organization(Scopes.MembersRead), AuditActions.MemberList, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<MemberEndpoints>((e, r, ct) => e.ListAsync(r, ct)));

    public static ApiRoute Add { get; } = new("AddMember", "POST", Collection,
        "Add an existing user {user_id, role} directly (a platform provisioning its users): 201 with the member, and each project gets a member.added event; 404 for an unknown user, 409 when already a member. Only an owner adds an owner.",
        RouteAccess.Organization(Scopes.MembersWrite), AuditActions.MemberAdd, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<MemberEndpoints>((e, r, ct) => e.AddAsync(r, ct)));

    public static ApiRoute Change { get; } = new("ChangeMember", "PATCH", Collection + "/{userId}",
        "Change a member's role {role}. Only an owner grants or takes away owner or changes an owner; the last owner cannot be demoted (409).",
        RouteAccess.Organization(Scopes.MembersWrite), AuditActions.MemberChange, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<MemberEndpoints>((e, r, ct) => e.ChangeAsync(r, ct)))
    {
        AuditTarget = static values => Target(values["userId"]),
    };

    public static ApiRoute Remove { get; } = new("RemoveMember", "DELETE", Collection + "/{userId}",
        "Remove a member: every session of theirs ends, and each project gets a member.removed event. Not the last owner, nor a personal organization's owner.",
        RouteAccess.Organization(Scopes.MembersWrite), AuditActions.MemberRemove, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<MemberEndpoints>((e, r, ct) => e.RemoveAsync(r, ct)))
    {
        AuditTarget = static values => Target(values["userId"]),
    };

    public static IReadOnlyList<ApiRoute> All { get; } = [List, Add, Change, Remove];

    /// <summary>The audit target of a member; an id of the wrong shape is not echoed.</summary>
    public static string Target(string? userId) => Ids.IsValid(User.IdPrefix, userId) ? $"user/{userId}" : "user/(invalid id)";
}
