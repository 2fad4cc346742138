using System.Text.RegularExpressions;
using Integrations.Api.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Routing;

/// <summary>Runs a route once the pipeline has authenticated the caller and verified its scope.</summary>
public delegate Task<IResult> RouteHandler(HubRequest request, CancellationToken cancellationToken);

/// <summary>
/// One HTTP route of the hub, declared once with everything that is true of it. The Server maps it, the OpenAPI
/// document describes it, the pipeline enforces its access, audit and rate limit, and a test checks the Functions
/// app's generated trigger metadata against it.
/// </summary>
/// <param name="Name">The operation id, and the Functions function name.</param>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Template">The route without a leading slash, as Functions writes it.</param>
/// <param name="Summary">What it does, for the OpenAPI document.</param>
/// <param name="Access">Who may call it.</param>
/// <param name="AuditAction">The audit log's action name (<see cref="Core.Audit.AuditActions"/>); null for public routes, which are not audited.</param>
/// <param name="ChangesState">A change is recorded as an attempt before it runs and is not cancelled by a client hang-up.</param>
/// <param name="RateLimitPolicy">The per-caller limit that applies (<see cref="RateLimitPolicies"/>).</param>
/// <param name="Handler">What runs the route: an endpoint method in the route's capability folder.</param>
public sealed partial record ApiRoute(
    string Name, string Method, string Template, string Summary, RouteAccess Access, string? AuditAction, bool ChangesState, string RateLimitPolicy,
    RouteHandler Handler)
{
    /// <summary>The <see cref="Method"/> of a route that takes every method (the proxy): the Server maps it without a method constraint, Functions lists no methods.</summary>
    public const string AnyMethod = "*";

    /// <summary>The path parameters, in template order (e.g. <c>projectId</c>, <c>name</c>).</summary>
    public IReadOnlyList<string> Parameters { get; } = PathParameters().Matches(Template).Select(m => m.Groups[1].Value).ToArray();

    /// <summary>What the audit record names as the object acted on, from the path alone (so a denied request is attributed too).</summary>
    public Func<RouteValues, string?> AuditTarget { get; init; } = static _ => null;

    /// <summary>
    /// A create: what it acts on (the new object's id or name) is known only once the handler has read the body, so the
    /// handler writes the attempt record itself (<see cref="HubRequest.BeginChangeAsync"/>) before it changes anything,
    /// and the attempt carries the target. The pipeline refuses a success that never began its change.
    /// </summary>
    public bool NamesItsTarget { get; init; }

    /// <summary>
    /// A change whose own rows name who made it, written in the same transaction as the change (a message send stores its
    /// sender in the message row): those rows are the record that it began, so the pipeline writes no attempt before it,
    /// only the outcome after — and a successful one as <see cref="Pipeline.RepeatedRecords"/> counts them: the first of a
    /// minute per credential and project in full, the rest as that minute's count. For high-volume data-plane writes,
    /// whose rows are the per-request record; the log keeps who, where, when and how many at about one write a minute.
    /// If the outcome record is lost the change stands, as for any change, and the response says so. The handler names
    /// its target in <see cref="HubRequest.Audit"/>.
    /// </summary>
    public bool StoresItsActor { get; init; }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex PathParameters();
}
