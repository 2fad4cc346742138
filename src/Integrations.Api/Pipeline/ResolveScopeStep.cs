using System.Collections.Concurrent;
using Integrations.Api.Http;
using Integrations.Api.Routing;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Pipeline;

/// <summary>
/// Step 3: checks the caller against the route's <see cref="RouteAccess"/> and resolves what the request acts on, once.
/// Ownership comes before scopes: another tenant's organization or project does not exist for this caller (404, never
/// 403), whatever its key may do; inside its own tenant a missing scope is 403.
/// </summary>
public sealed class ResolveScopeStep(TenancyService tenancy)
{
    private const int MaxCachedProjects = 10_000;

    // Projects are never deleted or moved between organizations, so a verified (organization, project) pair stays true:
    // caching it spares the hot path a storage read per request. Only positive answers are kept.
    private readonly ConcurrentDictionary<(string Organization, string Project), Project> _projects = new();

    /// <summary>What the caller may act on, and the refusal to answer with when it may not call the route.</summary>
    public async ValueTask<ScopeResolution> RunAsync(Caller caller, ApiRoute route, RouteValues values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(route);
        switch (route.Access)
        {
            case PlatformAdminAccess:
                return caller.Kind == CallerKind.PlatformAdmin ? ScopeResolution.Allowed(VerifiedScope.None) : ScopeResolution.Refused(ApiProblems.PlatformAdminOnly);

            case UserAccess:
                // A person's own account: the organization their token speaks for (no path id to check).
                return caller.Kind == CallerKind.User && caller.OrganizationId is { } current
                    ? ScopeResolution.Allowed(new VerifiedScope(current, null))
                    : ScopeResolution.Refused(ApiProblems.UserOnly);

            case OrganizationAccess organization:
                if (caller.OrganizationId is not { } own)
                {
                    return ScopeResolution.Refused(ApiProblems.OrganizationKeyOnly);
                }

                if (values["orgId"] is { } named && !string.Equals(named, own, StringComparison.Ordinal))
                {
                    return ScopeResolution.Refused(HubError.NotFound("organization"));
                }

                return Check(new VerifiedScope(own, null), caller, organization.Scope);

            case ProjectAccess project:
                if (caller.OrganizationId is not { } tenant)
                {
                    return ScopeResolution.Refused(ApiProblems.OrganizationKeyOnly);
                }

                if (await FindProjectAsync(tenant, values.Required("projectId"), cancellationToken).ConfigureAwait(false) is not { } found)
                {
                    return ScopeResolution.Refused(HubError.NotFound("project"));
                }

                var verified = new VerifiedScope(tenant, found);
                return project.AlsoRequired is { } also && caller.HasScope(project.Scope) ? Check(verified, caller, also) : Check(verified, caller, project.Scope);

            default:
                throw new InvalidOperationException($"Route {route.Name}: access {route.Access} needs a caller kind this step does not resolve.");
        }
    }

    // Inside its own tenant a caller without the scope is refused, but what it tried to act on is known (and audited there).
    private static ScopeResolution Check(VerifiedScope scope, Caller caller, string? required) =>
        required is null || caller.HasScope(required) ? ScopeResolution.Allowed(scope) : new ScopeResolution(scope, ApiProblems.MissingScope(required));

    private async ValueTask<Project?> FindProjectAsync(string organizationId, string projectId, CancellationToken cancellationToken)
    {
        if (_projects.TryGetValue((organizationId, projectId), out var cached))
        {
            return cached;
        }

        var project = await tenancy.GetProjectAsync(organizationId, projectId, cancellationToken).ConfigureAwait(false);
        if (project is not null)
        {
            if (_projects.Count >= MaxCachedProjects)
            {
                _projects.Clear();
            }

            _projects[(organizationId, projectId)] = project;
        }

        return project;
    }
}
