using Integrations.Api.Http;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Pipeline;

/// <summary>
/// Every route runs through here, in both shells: authenticate → rate limit → resolve scope → audit (attempt) →
/// handler → audit (outcome), with problem mapping around the handler. Each step is its own class; this one only
/// orders them and turns their refusals into answers. A request whose audit record cannot be written gets 503
/// instead of its result (fail closed), so no reveal goes unaudited.
/// </summary>
public sealed class RequestPipeline(
    AuthenticateStep authenticate, RateLimitStep rateLimits, ResolveScopeStep resolveScope, AuditStep audit, RepeatedRecords repeated,
    ProblemMapping problems, TimeProvider time)
{
    /// <summary>
    /// Set to <c>unrecorded</c> on the answer to a change that succeeded (and whose attempt is on record) but whose
    /// outcome record could not be written: the change stands; the log shows only that it was attempted.
    /// </summary>
    public const string AuditOutcomeHeader = "Hub-Audit-Outcome";

    /// <summary>How long a change may run once started (it no longer follows the client's connection).</summary>
    private static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="route"/> with its path values in template order (how Functions passes its bound parameters).</summary>
    public Task<IResult> RunAsync(HttpContext context, ApiRoute route, params string[] pathValues)
    {
        ArgumentNullException.ThrowIfNull(route);
        return RunAsync(context, route, new RouteValues(route, pathValues));
    }

    public async Task<IResult> RunAsync(HttpContext context, ApiRoute route, RouteValues values)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(route);
        var cancellationToken = context.RequestAborted;
        // Responses of a vault API are never cached by browsers or proxies (reveals, keys shown once).
        context.Response.Headers.CacheControl = "no-store";
        if (route.Access is AnonymousAccess)
        {
            return await RunAnonymousAsync(context, route, values).ConfigureAwait(false);
        }

        if (!route.Access.RequiresCaller)
        {
            return await InvokeAsync(new HubRequest(context, route, values, null, VerifiedScope.None, new RequestAudit()), isChange: false, cancellationToken).ConfigureAwait(false)
                ?? ApiProblems.StorageUnavailable();
        }

        var action = route.AuditAction ?? throw new InvalidOperationException($"Route {route.Name} has a caller but no audit action.");
        var source = rateLimits.SourceOf(context);
        var requestAudit = new RequestAudit { Target = route.AuditTarget(values), SourceAddress = source };
        AuthenticationOutcome authentication;
        try
        {
            authentication = await authenticate.RunAsync(context, rateLimits.MayLookUpCredentials(source), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return problems.AuthenticationUnavailable(ex, context);
        }

        if (authentication.Caller is not { } caller)
        {
            return await RefuseUnauthenticatedAsync(context, action, requestAudit, authentication, source, cancellationToken).ConfigureAwait(false);
        }

        if (!rateLimits.TryAcquire(route.RateLimitPolicy, caller, out var wait))
        {
            return await RefuseRateLimitedAsync(context, source, action, caller, requestAudit, wait).ConfigureAwait(false);
        }

        ScopeResolution scope;
        try
        {
            scope = await resolveScope.RunAsync(caller, route, values, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await RecordAsync(context, action, caller, requestAudit, problems.ScopeUnavailable(ex, context, route.Name)).ConfigureAwait(false);
        }

        requestAudit.ProjectId = scope.Verified.Project?.Id;
        if (scope.Refusal is { } refusal)
        {
            requestAudit.Target = scope.Verified.Project is null ? UnverifiedTarget(values, requestAudit.Target) : requestAudit.Target;
            return await RecordAsync(context, action, caller, requestAudit, Problems.From(refusal)).ConfigureAwait(false);
        }

        if (!route.ChangesState)
        {
            var read = await InvokeAsync(new HubRequest(context, route, values, caller, scope.Verified, requestAudit), isChange: false, cancellationToken).ConfigureAwait(false);
            return read is null ? ApiProblems.AuditUnavailable() : await RecordAsync(context, action, caller, requestAudit, read).ConfigureAwait(false);
        }

        // A change is recorded before it runs: if even that cannot be written, nothing happens (fail closed). A create
        // records it from its handler, once it knows what it creates (ApiRoute.NamesItsTarget); a change whose own rows
        // name its actor is its own record of having begun (ApiRoute.StoresItsActor).
        Func<Task<bool>> writeAttempt = () => audit.WriteAsync(context, action, caller, requestAudit, status: null);
        var request = new HubRequest(context, route, values, caller, scope.Verified, requestAudit, route.NamesItsTarget ? writeAttempt : null);
        if (!route.NamesItsTarget && !route.StoresItsActor && !await writeAttempt().ConfigureAwait(false))
        {
            return ApiProblems.AuditUnavailable();
        }

        // A change, once started, runs to its end even if the client hangs up: a half-done change would be worse than
        // an unread answer. It is bounded by its own timeout instead.
        using var changeTimeout = new CancellationTokenSource(ChangeTimeout, time);
        var changed = await InvokeAsync(request, isChange: true, changeTimeout.Token).ConfigureAwait(false);
        if (changed is null)
        {
            return ApiProblems.AuditUnavailable();
        }

        if (route.NamesItsTarget && !request.ChangeBegun && AuditStep.StatusOf(changed) < 400)
        {
            throw new InvalidOperationException($"Route {route.Name} succeeded without recording its attempt (HubRequest.BeginChangeAsync).");
        }

        // A data-plane send whose rows name its sender: the first of a minute per credential and project in full, the rest
        // as that minute's count (its rows hold each one) — the busiest route adds about one audit write a minute.
        if (route.StoresItsActor && AuditStep.StatusOf(changed) < StatusCodes.Status400BadRequest
            && repeated.IsRepeatWithinTenant(
                "sent:" + action + ":" + caller.Kind + ":" + caller.Id + ":" + requestAudit.ProjectId,
                AuditStep.Event(context, source, action, caller, requestAudit, AuditStep.StatusOf(changed)) with { Target = null, UserAgent = null, RequestId = null }))
        {
            return changed;
        }

        // The change has happened and its attempt is on record; a lost outcome record must not turn a committed change
        // into a "refused" answer the client would retry. The response says the outcome is missing from the log.
        if (!await audit.WriteAsync(context, action, caller, requestAudit, AuditStep.StatusOf(changed)).ConfigureAwait(false))
        {
            context.Response.Headers[AuditOutcomeHeader] = "unrecorded";
        }

        return changed;
    }

    /// <summary>
    /// A route anyone may call that hands out credentials (<see cref="RouteAccess.Anonymous"/>): limited per source address,
    /// and its outcome audited with whatever target the handler names (a user id, never an address, password or token).
    /// The handler runs to its end once started, like a change: a login that created a session should answer with it.
    /// </summary>
    private async Task<IResult> RunAnonymousAsync(HttpContext context, ApiRoute route, RouteValues values)
    {
        var action = route.AuditAction ?? throw new InvalidOperationException($"Route {route.Name} is anonymous but has no audit action.");
        var source = rateLimits.SourceOf(context);
        var requestAudit = new RequestAudit { Target = route.AuditTarget(values), SourceAddress = source };
        if (!rateLimits.TryAcquireForSource(route.RateLimitPolicy, source, out var wait))
        {
            SetRetryAfter(context, wait);
            var limited = ApiProblems.TooManyRequests(wait);
            var summary = AuditStep.Summary(source, AuditActions.RateLimited, null, StatusCodes.Status429TooManyRequests);
            return repeated.IsRepeat("anonymous:" + route.RateLimitPolicy + ":" + RateLimitStep.BucketOf(source), summary)
                ? limited
                : await audit.WriteAsync(context, action, null, requestAudit, StatusCodes.Status429TooManyRequests).ConfigureAwait(false) ? limited : ApiProblems.AuditUnavailable();
        }

        using var changeTimeout = new CancellationTokenSource(ChangeTimeout, time);
        var result = await InvokeAsync(new HubRequest(context, route, values, null, VerifiedScope.None, requestAudit), isChange: true, changeTimeout.Token).ConfigureAwait(false)
            ?? ApiProblems.AuditUnavailable();
        if (!await audit.WriteAsync(context, action, null, requestAudit, AuditStep.StatusOf(result)).ConfigureAwait(false))
        {
            context.Response.Headers[AuditOutcomeHeader] = "unrecorded";
        }

        return result;
    }

    /// <summary>The handler's result, the problem its exception maps to, or null when the audit log failed under it.</summary>
    private async Task<IResult?> InvokeAsync(HubRequest request, bool isChange, CancellationToken cancellationToken)
    {
        try
        {
            return await request.Route.Handler(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested || isChange)
        {
            return problems.Map(ex, request.Http, request.Route.Name);
        }
    }

    /// <summary>Writes the outcome record of <paramref name="result"/>; the result if it was written, else 503.</summary>
    private async Task<IResult> RecordAsync(HttpContext context, string action, Caller caller, RequestAudit requestAudit, IResult result) =>
        await audit.WriteAsync(context, action, caller, requestAudit, AuditStep.StatusOf(result)).ConfigureAwait(false) ? result : ApiProblems.AuditUnavailable();

    private async Task<IResult> RefuseUnauthenticatedAsync(
        HttpContext context, string action, RequestAudit requestAudit, AuthenticationOutcome authentication, string source, CancellationToken cancellationToken)
    {
        IResult result;
        int status;
        if (rateLimits.TryCountFailure(source, out var wait))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            (result, status) = (ApiProblems.UnauthenticatedResult(), StatusCodes.Status401Unauthorized);
        }
        else
        {
            SetRetryAfter(context, wait);
            (result, status) = (ApiProblems.TooManyRequests(wait), StatusCodes.Status429TooManyRequests);
        }

        var summary = AuditStep.Summary(source, AuditActions.AuthenticationFailures, null, StatusCodes.Status401Unauthorized);
        if (repeated.IsRepeat("address:" + RateLimitStep.BucketOf(source), summary))
        {
            return result;
        }

        string? hmac;
        try
        {
            hmac = await audit.CredentialHmacAsync(authentication.PresentedCredential, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return problems.AuthenticationUnavailable(ex, context);
        }

        return await audit.WriteAsync(context, action, null, requestAudit, status, hmac, authentication.Failure?.ToString()).ConfigureAwait(false)
            ? result
            : ApiProblems.AuditUnavailable();
    }

    private async Task<IResult> RefuseRateLimitedAsync(HttpContext context, string source, string action, Caller caller, RequestAudit requestAudit, TimeSpan wait)
    {
        SetRetryAfter(context, wait);
        var result = ApiProblems.TooManyRequests(wait);
        var summary = AuditStep.Summary(source, AuditActions.RateLimited, caller, StatusCodes.Status429TooManyRequests);
        return repeated.IsRepeat("caller:" + caller.Id, summary) ? result : await RecordAsync(context, action, caller, requestAudit, result).ConfigureAwait(false);
    }

    /// <summary>A request refused before its project was verified names the project in its target, not as its log partition.</summary>
    private static string? UnverifiedTarget(RouteValues values, string? target) =>
        values["projectId"] is { } projectId
            ? "project/" + (Ids.IsValid("prj", projectId) ? projectId : "(invalid id)") + (target is null ? "" : "/" + target)
            : target;

    private static void SetRetryAfter(HttpContext context, TimeSpan wait) =>
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
