namespace Integrations.Core.Identity.Organizations;

/// <summary>
/// The one place that says what each role may do: a role maps to the same <see cref="Scopes"/> an API key holds, so a
/// user's access token and an API key are checked by the same step against the same route requirements. Changing what a
/// role may do is a change here (and in the table in the docs), never in a route.
/// </summary>
/// <remarks>
/// Owner: every scope. Admin: every scope but <see cref="Scopes.Admin"/> (the organization's API keys and audit log are the
/// owners'). Member: reads, plus the day-to-day writes of connections (with proxy and token hand-out), secrets, webhook
/// sources, messages and sends — no reveal (nor a connection's token hand-out, which is a reveal), purge, provider or project changes, or administration. Viewer: reads only (the member list included: <see cref="Scopes.MembersRead"/>); changing members
/// (<see cref="Scopes.MembersWrite"/>) and inviting them (<see cref="Scopes.MembersInvite"/>) is Owner and Admin.
/// </remarks>
public static class RoleMatrix
{
    private static readonly IReadOnlySet<string> OwnerScopes = Set(Scopes.All);

    private static readonly IReadOnlySet<string> AdminScopes = Set(Scopes.All.Where(s => s != Scopes.Admin));

    private static readonly IReadOnlySet<string> ViewerScopes = Set([Scopes.SecretsRead, Scopes.ProvidersRead, Scopes.ConnectionsRead, Scopes.WebhooksRead, Scopes.MembersRead]);

    private static readonly IReadOnlySet<string> MemberScopes = Set(
    [
        .. ViewerScopes, Scopes.SecretsWrite, Scopes.ConnectionsWrite, Scopes.ConnectionsProxy, Scopes.WebhooksWrite,
        Scopes.MessagesWrite, Scopes.SendsWrite,
    ]);

    /// <summary>The scopes <paramref name="role"/> holds.</summary>
    public static IReadOnlySet<string> ScopesOf(OrganizationRole role) => role switch
    {
        OrganizationRole.Owner => OwnerScopes,
        OrganizationRole.Admin => AdminScopes,
        OrganizationRole.Member => MemberScopes,
        OrganizationRole.Viewer => ViewerScopes,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a role."),
    };

    private static HashSet<string> Set(IEnumerable<string> scopes) => new(scopes, StringComparer.Ordinal);
}
