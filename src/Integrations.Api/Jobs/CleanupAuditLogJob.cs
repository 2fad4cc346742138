using Integrations.Core.Audit;

namespace Integrations.Api.Jobs;

/// <summary>Deletes audit records past retention. Seals first, so nothing old is left unsealed and undeletable.</summary>
public sealed class CleanupAuditLogJob(AuditChain chain)
{
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await chain.SealAsync(cancellationToken).ConfigureAwait(false);
        await chain.CleanupAsync(cancellationToken).ConfigureAwait(false);
    }
}
