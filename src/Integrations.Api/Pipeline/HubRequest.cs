using Integrations.Api.Routing;
using Integrations.Core.Identity;
using Integrations.Core.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Pipeline;

/// <summary>A request as its handler sees it: authenticated, its scope verified, its audit record open for detail.</summary>
public sealed class HubRequest
{
    private readonly Caller? _caller;

    internal HubRequest(HttpContext http, ApiRoute route, RouteValues values, Caller? caller, VerifiedScope scope, RequestAudit audit)
    {
        Http = http;
        Route = route;
        Values = values;
        _caller = caller;
        Scope = scope;
        Audit = audit;
    }

    public HttpContext Http { get; }

    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;

    public ApiRoute Route { get; }

    /// <summary>The path values.</summary>
    public RouteValues Values { get; }

    /// <summary>The authenticated caller (every route but public ones has one).</summary>
    public Caller Caller => _caller ?? throw new InvalidOperationException($"Route {Route.Name} is public: it has no caller.");

    public VerifiedScope Scope { get; }

    /// <summary>The organization the request acts in, verified.</summary>
    public string OrganizationId => Scope.OrganizationId ?? throw new InvalidOperationException($"Route {Route.Name} is not organization-scoped.");

    /// <summary>The project the request acts in, verified to belong to <see cref="OrganizationId"/>.</summary>
    public Project Project => Scope.Project ?? throw new InvalidOperationException($"Route {Route.Name} is not project-scoped.");

    /// <summary>What the audit record says about the object; the handler may refine it.</summary>
    public RequestAudit Audit { get; }
}
