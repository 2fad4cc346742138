using Integrations.Core.Identity.Organizations;

namespace Integrations.Api.Routing;

/// <summary>
/// Who may call a route. The pipeline authenticates the caller, then <see cref="Pipeline.ResolveScopeStep"/> checks the
/// caller against this and resolves the organization or project the route acts on. New kinds of caller (a user role,
/// a webhook signature, an OAuth state) are new cases here and new authenticators, never branches in a handler.
/// </summary>
public abstract record RouteAccess
{
    /// <summary>Anyone: no credential, no audit (probes and the API description).</summary>
    public static RouteAccess Public { get; } = new PublicAccess();

    /// <summary>The platform admin key only (<c>Hub:AdminKey</c>); sees no tenant data.</summary>
    public static RouteAccess PlatformAdmin { get; } = new PlatformAdminAccess();

    /// <summary>An organization API key; the organization is the path's <c>{orgId}</c>, or the caller's own when the path has none.</summary>
    public static RouteAccess Organization(string? scope = null) => new OrganizationAccess(scope);

    /// <summary>An organization API key whose organization owns the path's <c>{projectId}</c>.</summary>
    public static RouteAccess Project(string scope) => new ProjectAccess(scope);

    /// <summary>As <see cref="Project(string)"/>, with a key that also has <paramref name="alsoRequired"/> (e.g. a reveal of what the first scope reads).</summary>
    public static RouteAccess Project(string scope, string alsoRequired) => new ProjectAccess(scope) { AlsoRequired = alsoRequired };

    /// <summary>
    /// Anyone, without a credential — but limited per source address under the route's rate-limit policy and audited (never
    /// a body): the routes that hand out credentials (sign-up, login, refresh, logout).
    /// </summary>
    public static RouteAccess Anonymous { get; } = new AnonymousAccess();

    /// <summary>A signed-in person (<see cref="Core.Identity.CallerKind.User"/>), in the organization their token speaks for.</summary>
    public static RouteAccess User { get; } = new UserAccess();

    /// <summary>Whether the caller must present a credential (and so is audited).</summary>
    public virtual bool RequiresCaller => true;

    /// <summary>Who may call, in words, for the OpenAPI document.</summary>
    public abstract string Describe();

    /// <summary>The roles whose scopes (<see cref="RoleMatrix"/>) include every one of <paramref name="scopes"/>, for <see cref="Describe"/>.</summary>
    protected static string RolesGranting(params string[] scopes) =>
        string.Join(", ", Enum.GetValues<OrganizationRole>().Where(r => scopes.All(RoleMatrix.ScopesOf(r).Contains)).Select(OrganizationRoles.Name));
}

/// <summary>See <see cref="RouteAccess.Public"/>.</summary>
public sealed record PublicAccess : RouteAccess
{
    public override bool RequiresCaller => false;

    public override string Describe() => "anyone";
}

/// <summary>See <see cref="RouteAccess.Anonymous"/>.</summary>
public sealed record AnonymousAccess : RouteAccess
{
    public override bool RequiresCaller => false;

    public override string Describe() => "anyone (limited per source address, audited)";
}

/// <summary>See <see cref="RouteAccess.User"/>.</summary>
public sealed record UserAccess : RouteAccess
{
    public override string Describe() => "a signed-in user (their access token)";
}

/// <summary>See <see cref="RouteAccess.PlatformAdmin"/>.</summary>
public sealed record PlatformAdminAccess : RouteAccess
{
    public override string Describe() => "the platform admin key";
}

/// <summary>See <see cref="RouteAccess.Organization"/>.</summary>
/// <param name="Scope">The API-key scope required, or null for any key of the organization.</param>
public sealed record OrganizationAccess(string? Scope) : RouteAccess
{
    public override string Describe() => Scope is null
        ? "any API key of the organization, or any member"
        : RolesGranting(Scope).Length == 0
            ? $"an API key of the organization with scope '{Scope}' (no role grants it)"
            : $"an API key of the organization with scope '{Scope}', or a member whose role grants it ({RolesGranting(Scope)})";
}

/// <summary>See <see cref="RouteAccess.Project(string)"/>.</summary>
/// <param name="Scope">The API-key scope required.</param>
public sealed record ProjectAccess(string Scope) : RouteAccess
{
    /// <summary>A second scope the key must also have, or null.</summary>
    public string? AlsoRequired { get; init; }

    public override string Describe() => AlsoRequired is null
        ? $"an API key of the project's organization with scope '{Scope}', or a member whose role grants it ({RolesGranting(Scope)})"
        : $"an API key of the project's organization with scopes '{Scope}' and '{AlsoRequired}', or a member whose role grants both ({RolesGranting(Scope, AlsoRequired)})";
}
