using Integrations.Core.Audit;

namespace Integrations.Api.Jobs;

/// <summary>Seals new audit records into the hash chain.</summary>
public sealed class SealAuditLogJob(AuditChain chain)
{
    public Task RunAsync(CancellationToken cancellationToken = default) => chain.SealAsync(cancellationToken);
}
