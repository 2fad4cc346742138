using Integrations.Api.Routing;
using Integrations.Core.Identity;
using Integrations.Core.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Pipeline;

/// <summary>A request as its handler sees it: authenticated, its scope verified, its audit record open for detail.</summary>
public sealed class HubRequest
{
    private readonly Caller? _caller;
    private readonly Func<Task<bool>>? _writeAttempt;

    internal HubRequest(HttpContext http, ApiRoute route, RouteValues values, Caller? caller, VerifiedScope scope, RequestAudit audit, Func<Task<bool>>? writeAttempt = null)
    {
        Http = http;
        Route = route;
        Values = values;
        _caller = caller;
        Scope = scope;
        Audit = audit;
        _writeAttempt = writeAttempt;
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

    /// <summary>True once a <see cref="ApiRoute.NamesItsTarget"/> handler has had its attempt recorded.</summary>
    public bool ChangeBegun { get; private set; }

    /// <summary>
    /// Records the attempt of a create, naming <paramref name="target"/>, before the handler changes anything. False when
    /// the record could not be written: the handler must then change nothing and answer
    /// <see cref="Http.ApiProblems.AuditUnavailable"/>.
    /// </summary>
    public async Task<bool> BeginChangeAsync(string target)
    {
        if (_writeAttempt is null || ChangeBegun)
        {
            throw new InvalidOperationException($"Route {Route.Name} does not name its own target, or began its change twice.");
        }

        Audit.Target = target;
        ChangeBegun = await _writeAttempt().ConfigureAwait(false);
        return ChangeBegun;
    }
}
