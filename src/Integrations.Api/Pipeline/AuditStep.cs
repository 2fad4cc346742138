using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Pipeline;

/// <summary>
/// Step 4: the audit record of a request — an attempt before a change runs, the outcome after, fail closed: a caller
/// of this step refuses the request when it returns false. The record goes to the verified project's log, else the
/// caller's organization's, else the platform's: an unverified id from the path never names a log partition.
/// </summary>
public sealed class AuditStep(AuditLog audit, TimeProvider time)
{
    /// <summary>Well below the audit seal delay, so a record is never stored after the chain has passed its time.</summary>
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Writes the attempt of a change (<paramref name="status"/> null) or a request's outcome; false when it could not be written.</summary>
    public async Task<bool> WriteAsync(
        HttpContext context, string action, Caller? caller, RequestAudit requestAudit, int? status, string? credentialHmac = null, string? failure = null)
    {
        // Not the request's token: a client that hangs up must not drop the record of what it did.
        using var timeout = new CancellationTokenSource(WriteTimeout, time);
        try
        {
            var source = requestAudit.SourceAddress ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            await audit.WriteAsync(Event(context, source, action, caller, requestAudit, status, credentialHmac, failure), timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is AuditUnavailableException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The keyed HMAC under which a refused credential is recorded; null when none was presented.</summary>
    public async ValueTask<string?> CredentialHmacAsync(string? credential, CancellationToken cancellationToken = default) =>
        string.IsNullOrEmpty(credential) ? null : await audit.HmacAsync(credential, cancellationToken).ConfigureAwait(false);

    /// <summary>The record of a request, before the log gives it an id and a time.</summary>
    public static AuditEvent Event(
        HttpContext context, string sourceAddress, string action, Caller? caller, RequestAudit requestAudit, int? status, string? credentialHmac = null, string? failure = null, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requestAudit);
        var organizationId = caller?.OrganizationId ?? AuditPartition.Platform;
        var projectId = caller?.OrganizationId is null ? null : requestAudit.ProjectId;
        return new AuditEvent(organizationId, projectId, action, status is { } s ? Outcome(s) : AuditOutcomes.Attempt, status ?? 0,
            caller?.Kind.ToString() ?? "anonymous", caller?.Id ?? failure ?? "anonymous", requestAudit.Target,
            sourceAddress, Truncate(context.Request.Headers.UserAgent.ToString(), 256), context.TraceIdentifier,
            credentialHmac, count);
    }

    /// <summary>
    /// The summary record of a source's repeated refusals (its count is filled in when its window ends). It names the
    /// source and who was refused, but no request of its own: no target, user agent or request id.
    /// </summary>
    public static AuditEvent Summary(string sourceAddress, string action, Caller? caller, int status) =>
        new(caller?.OrganizationId ?? AuditPartition.Platform, null, action, Outcome(status), status, caller?.Kind.ToString() ?? "anonymous",
            caller?.Id ?? "repeated", SourceIp: sourceAddress);

    /// <summary>The status a result answers with (200 when it does not say).</summary>
    public static int StatusOf(IResult result) => (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;

    private static string Outcome(int status) => status switch
    {
        < 400 => AuditOutcomes.Success,
        401 => AuditOutcomes.Unauthenticated,
        403 => AuditOutcomes.Denied,
        404 => AuditOutcomes.NotFound,
        409 or 412 => AuditOutcomes.Conflict,
        429 => AuditOutcomes.RateLimited,
        < 500 => AuditOutcomes.Invalid,
        _ => AuditOutcomes.Error,
    };

    private static string? Truncate(string value, int max) => value.Length == 0 ? null : value.Length <= max ? value : value[..max];
}
