using Integrations.Api.Http;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Identity;
using Integrations.Core.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Integrations.Api.Authentication;

/// <summary>
/// Every endpoint runs through here: authenticate the bearer credential, check access, run the handler, and
/// write the audit record before anything is returned. A request whose audit record cannot be written gets
/// 503 instead of its result (fail closed), so no reveal goes unaudited. Unexpected exceptions become a 500
/// problem that names only the request id.
/// </summary>
public sealed partial class EndpointRunner(
    CallerAuthenticator authenticator, AuditLog audit, TenancyService tenancy, TimeProvider time, ILogger<EndpointRunner> logger)
{
    /// <summary>Well below the audit seal delay, so a record is never stored after the chain has passed its time.</summary>
    private static readonly TimeSpan AuditWriteTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a change may run once started (it no longer follows the client's connection).</summary>
    private static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(60);

    public delegate Task<IResult> Handler(Caller caller, RequestAudit requestAudit, CancellationToken cancellationToken);

    /// <param name="requestAudit">What the audit record says about the object, known before the handler runs (so a denied request is attributed too); the handler may refine it.</param>
    public async Task<IResult> RunAsync(HttpContext context, string action, Access access, Handler handler, RequestAudit? requestAudit = null)
    {
        var cancellationToken = context.RequestAborted;
        // Responses of a vault API are never cached by browsers or proxies (reveals, keys shown once).
        context.Response.Headers.CacheControl = "no-store";
        requestAudit ??= new RequestAudit();
        var credential = BearerCredential(context.Request);
        AuthenticationResult authentication;
        try
        {
            authentication = await authenticator.AuthenticateAsync(credential, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.AuthenticationUnavailable(logger, ex, context.TraceIdentifier);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "Service unavailable", "Credentials cannot be checked right now; retry.");
        }

        if (authentication.Caller is not { } caller)
        {
            string? hmac;
            try
            {
                hmac = string.IsNullOrEmpty(credential) ? null : await audit.HmacAsync(credential, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.AuthenticationUnavailable(logger, ex, context.TraceIdentifier);
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "Service unavailable", "Credentials cannot be checked right now; retry.");
            }

            context.Response.Headers.WWWAuthenticate = "Bearer";
            return await AuditedAsync(context, action, null, requestAudit, Problems.Unauthenticated(), hmac, authentication.Failure?.ToString()).ConfigureAwait(false)
                ?? Problems.AuditUnavailable();
        }

        IResult result;
        if (Deny(caller, access) is { } denied)
        {
            // Another tenant's objects do not exist for this caller, whatever its scopes: 404, not 403.
            try
            {
                result = await IsForeignAsync(caller, requestAudit, cancellationToken).ConfigureAwait(false)
                    ? Problems.From(HubError.NotFound(requestAudit.OrganizationId is null ? "project" : "organization"))
                    : denied;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.UnexpectedFailure(logger, ex, action, context.TraceIdentifier);
                result = Problems.Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "Service unavailable", "Retry shortly.");
            }
        }
        else
        {
            var isChange = AuditActions.Changes.Contains(action);
            // A change is recorded before it runs: if even that cannot be written, nothing happens (fail closed).
            if (isChange && await AuditedAsync(context, action, caller, requestAudit, null, null, null).ConfigureAwait(false) is null)
            {
                return Problems.AuditUnavailable();
            }

            // A change, once started, runs to its end even if the client hangs up: a half-done change would be
            // worse than an unread answer. It is bounded by its own timeout instead.
            using var changeTimeout = isChange ? new CancellationTokenSource(ChangeTimeout, time) : null;
            var handlerToken = changeTimeout?.Token ?? cancellationToken;
            try
            {
                result = await handler(caller, requestAudit, handlerToken).ConfigureAwait(false);
            }
            catch (SecretIntegrityException ex)
            {
                Log.IntegrityFailure(logger, ex, action, context.TraceIdentifier);
                result = Problems.Integrity(context.TraceIdentifier);
            }
            catch (AuditUnavailableException)
            {
                return Problems.AuditUnavailable();
            }
            catch (KeyUnavailableException)
            {
                result = Problems.Create(StatusCodes.Status503ServiceUnavailable, "keys-unavailable", "Keys unavailable",
                    "The key this value needs cannot be reached right now; retry.");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !handlerToken.IsCancellationRequested || isChange)
            {
                Log.UnexpectedFailure(logger, ex, action, context.TraceIdentifier);
                result = Problems.Internal(context.TraceIdentifier);
            }

            if (isChange)
            {
                // The change has happened and its attempt is on record; a lost outcome record must not turn a
                // committed change into a "refused" answer the client would retry.
                return await AuditedAsync(context, action, caller, requestAudit, result, null, null).ConfigureAwait(false) ?? result;
            }
        }

        return await AuditedAsync(context, action, caller, requestAudit, result, null, null).ConfigureAwait(false) ?? Problems.AuditUnavailable();
    }

    /// <summary>Writes the record of <paramref name="result"/> (null: the attempt of a change); returns null when it could not be written.</summary>
    private async Task<IResult?> AuditedAsync(
        HttpContext context, string action, Caller? caller, RequestAudit requestAudit, IResult? result, string? credentialHmac, string? failure)
    {
        var status = result is null ? 0 : (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var projectId = requestAudit.ProjectId;
        var target = requestAudit.Target;
        if (projectId is not null && !Ids.IsValid("prj", projectId))
        {
            // A made-up project id goes to the organization's log rather than naming a log partition of its own.
            target = "project/(invalid id)" + (target is null ? "" : "/" + target);
            projectId = null;
        }

        var organizationId = caller?.OrganizationId ?? AuditPartition.Platform;
        var auditEvent = new AuditEvent(organizationId, caller?.OrganizationId is null ? null : projectId, action,
            result is null ? AuditOutcomes.Attempt : Outcome(status), status,
            caller?.Kind.ToString() ?? "anonymous", caller?.Id ?? failure ?? "anonymous", target,
            context.Connection.RemoteIpAddress?.ToString(), Truncate(context.Request.Headers.UserAgent.ToString(), 256), context.TraceIdentifier, credentialHmac);
        // Not the request's token: a client that hangs up must not drop the record of what it did.
        using var timeout = new CancellationTokenSource(AuditWriteTimeout, time);
        try
        {
            await audit.WriteAsync(auditEvent, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuditUnavailableException or OperationCanceledException)
        {
            return null;
        }

        return result ?? Results.Empty;
    }

    private async Task<bool> IsForeignAsync(Caller caller, RequestAudit requestAudit, CancellationToken cancellationToken)
    {
        if (caller.OrganizationId is null)
        {
            return false;
        }

        if (requestAudit.OrganizationId is not null)
        {
            return requestAudit.OrganizationId != caller.OrganizationId;
        }

        return requestAudit.ProjectId is not null
            && await tenancy.GetProjectAsync(caller.OrganizationId, requestAudit.ProjectId, cancellationToken).ConfigureAwait(false) is null;
    }

    private static IResult? Deny(Caller caller, Access access)
    {
        if (access.PlatformAdmin)
        {
            return caller.Kind == CallerKind.PlatformAdmin ? null : Problems.PlatformAdminOnly();
        }

        if (caller.Kind != CallerKind.ApiKey)
        {
            return Problems.OrganizationKeyOnly();
        }

        return access.Scope is null || caller.HasScope(access.Scope) ? null : Problems.MissingScope(access.Scope);
    }

    private static string? BearerCredential(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }

    private static string Outcome(int status) => status switch
    {
        < 400 => AuditOutcomes.Success,
        401 => AuditOutcomes.Unauthenticated,
        403 => AuditOutcomes.Denied,
        404 => AuditOutcomes.NotFound,
        409 or 412 => AuditOutcomes.Conflict,
        < 500 => AuditOutcomes.Invalid,
        _ => AuditOutcomes.Error,
    };

    private static string? Truncate(string value, int max) => value.Length == 0 ? null : value.Length <= max ? value : value[..max];

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Request {RequestId} ({Action}) failed unexpectedly.")]
        public static partial void UnexpectedFailure(ILogger logger, Exception exception, string action, string requestId);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Request {RequestId}: credentials could not be checked (storage unavailable).")]
        public static partial void AuthenticationUnavailable(ILogger logger, Exception exception, string requestId);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Critical, Message = "Request {RequestId} ({Action}): a stored value failed authentication (tampering or a missing key).")]
        public static partial void IntegrityFailure(ILogger logger, Exception exception, string action, string requestId);
    }
}
