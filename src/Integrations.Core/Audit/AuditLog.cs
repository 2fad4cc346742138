using System.Text;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Audit;

/// <summary>Writes audit records and computes keyed HMACs of sensitive identifiers.</summary>
public sealed partial class AuditLog(IAuditStore store, KeyRing keys, TimeProvider time, ILogger<AuditLog> logger)
{
    /// <summary>Writes the record; throws <see cref="AuditUnavailableException"/> when it cannot be stored.</summary>
    public async Task WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        var record = new AuditRecord(Ids.New("aud"), time.GetUtcNow(), auditEvent.OrganizationId, auditEvent.ProjectId, auditEvent.Action,
            auditEvent.Outcome, auditEvent.Status, auditEvent.ActorType, auditEvent.ActorId, auditEvent.Target, auditEvent.SourceIp,
            auditEvent.UserAgent, auditEvent.RequestId, auditEvent.CredentialHmac, Count: auditEvent.Count);
        var started = time.GetTimestamp();
        try
        {
            await store.AppendAsync(record, cancellationToken).ConfigureAwait(false);
            HubTelemetry.RecordAuditWrite(time.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.WriteFailed(logger, ex, auditEvent.Action, record.Partition);
            throw new AuditUnavailableException(ex);
        }
    }

    /// <summary>
    /// A keyed HMAC of a sensitive value (a presented credential): lets an operator ask "was this leaked key
    /// tried?" by computing the same HMAC, without the log holding the value.
    /// </summary>
    public async ValueTask<string> HmacAsync(string value, CancellationToken cancellationToken = default)
    {
        var key = await keys.GetAuditKeyAsync(cancellationToken).ConfigureAwait(false);
        return "hmac-sha256:" + Convert.ToBase64String(key.Mac(Encoding.UTF8.GetBytes(value)));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Audit record {Action} for partition {Partition} could not be written; the request fails.")]
        public static partial void WriteFailed(ILogger logger, Exception exception, string action, string partition);
    }
}
