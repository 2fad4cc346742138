using Integrations.Api.Http;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Identity;
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
public sealed partial class EndpointRunner(CallerAuthenticator authenticator, AuditLog audit, ILogger<EndpointRunner> logger)
{
    public delegate Task<IResult> Handler(Caller caller, RequestAudit requestAudit, CancellationToken cancellationToken);

    /// <param name="requestAudit">What the audit record says about the object, known before the handler runs (so a denied request is attributed too); the handler may refine it.</param>
    public async Task<IResult> RunAsync(HttpContext context, string action, Access access, Handler handler, RequestAudit? requestAudit = null)
    {
        var cancellationToken = context.RequestAborted;
        // Responses of a vault API are never cached by browsers or proxies (reveals, keys shown once).
        context.Response.Headers.CacheControl = "no-store";
        var credential = BearerCredential(context.Request);
        var authentication = await authenticator.AuthenticateAsync(credential, cancellationToken).ConfigureAwait(false);
        requestAudit ??= new RequestAudit();
        if (authentication.Caller is not { } caller)
        {
            var hmac = string.IsNullOrEmpty(credential) ? null : await audit.HmacAsync(credential, cancellationToken).ConfigureAwait(false);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return await AuditedAsync(context, action, null, requestAudit, Problems.Unauthenticated(), hmac, authentication.Failure?.ToString()).ConfigureAwait(false);
        }

        IResult result;
        if (Deny(caller, access) is { } denied)
        {
            result = denied;
        }
        else
        {
            try
            {
                result = await handler(caller, requestAudit, cancellationToken).ConfigureAwait(false);
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
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.UnexpectedFailure(logger, ex, action, context.TraceIdentifier);
                result = Problems.Internal(context.TraceIdentifier);
            }
        }

        return await AuditedAsync(context, action, caller, requestAudit, result, null, null).ConfigureAwait(false);
    }

    private async Task<IResult> AuditedAsync(
        HttpContext context, string action, Caller? caller, RequestAudit requestAudit, IResult result, string? credentialHmac, string? failure)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var projectId = requestAudit.ProjectId;
        var target = requestAudit.Target;
        if (projectId is not null && !Ids.IsValid("prj", projectId))
        {
            // A made-up project id goes to the organization's log rather than naming a log partition of its own.
            target = "project/(invalid id)" + (target is null ? "" : "/" + target);
            projectId = null;
        }

        var organizationId = caller?.OrganizationId ?? AuditPartition.Platform;
        var auditEvent = new AuditEvent(organizationId, caller?.OrganizationId is null ? null : projectId, action, Outcome(status), status,
            caller?.Kind.ToString() ?? "anonymous", caller?.Id ?? failure ?? "anonymous", target,
            context.Connection.RemoteIpAddress?.ToString(), Truncate(context.Request.Headers.UserAgent.ToString(), 256), context.TraceIdentifier, credentialHmac);
        try
        {
            await audit.WriteAsync(auditEvent, context.RequestAborted).ConfigureAwait(false);
        }
        catch (AuditUnavailableException)
        {
            return Problems.AuditUnavailable();
        }

        return result;
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

        [LoggerMessage(EventId = 5002, Level = LogLevel.Critical, Message = "Request {RequestId} ({Action}): a stored value failed authentication (tampering or a missing key).")]
        public static partial void IntegrityFailure(ILogger logger, Exception exception, string action, string requestId);
    }
}
