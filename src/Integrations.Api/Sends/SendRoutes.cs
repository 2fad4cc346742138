using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Sends;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Sends;

/// <summary>The direct-send routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class SendRoutes
{
    /// <summary>The path parameter naming a send (its id, <c>snd_…</c>).</summary>
    public const string IdParameter = "sendId";

    public const string Collection = "v1/projects/{projectId}/sends";

    public const string Item = Collection + "/{" + IdParameter + "}";

    /// <summary>
    /// A change: it is recorded before it runs and a client hanging up does not cut a blocking attempt short. Through a
    /// connection the key also needs <c>connections:proxy</c> (checked by the handler: the route table has one scope per route).
    /// </summary>
    public static ApiRoute Create { get; } = Route("CreateSend", "POST", Collection,
        "Send one outbound call to a url or through a connection (its credential injected), with {{placeholders}} in the body filled from context and an optional condition; blocking answers with the first attempt, fire-and-forget with 202; retries run on the queue.",
        AuditActions.SendCreate, true, (e, r, ct) => e.CreateAsync(r, ct), named: false);

    /// <summary>sends:write, as there is no read scope of its own: who may send may see how the send went.</summary>
    public static ApiRoute Get { get; } = Route("GetSend", "GET", Item, "A send's status and every attempt (status code, duration, the first 4 KiB of the response); never its request headers or body.",
        AuditActions.SendRead, false, (e, r, ct) => e.GetAsync(r, ct));

    public static IReadOnlyList<ApiRoute> All { get; } = [Create, Get];

    /// <summary>The audit target of a send; an ill-formed id is not echoed into the log.</summary>
    public static string Target(string? sendId) => "send/" + (Ids.IsValid(OutboundSend.IdPrefix, sendId) ? sendId : "(invalid id)");

    private static ApiRoute Route(
        string name, string method, string template, string summary, string action, bool changes,
        Func<SendEndpoints, HubRequest, CancellationToken, Task<IResult>> handler, bool named = true) =>
        new(name, method, template, summary, RouteAccess.Project(Scopes.SendsWrite), action, changes, RateLimitPolicies.Standard, RouteHandlers.Of(handler))
        {
            AuditTarget = named ? static values => Target(values[IdParameter]) : static _ => null,
        };
}
