using Integrations.Core.Vault;

namespace Integrations.Api.Jobs;

/// <summary>Purges deleted secrets past their retention window (<see cref="SecretRetentionPurge"/>), audited per secret.</summary>
public sealed class PurgeDeletedSecretsJob(SecretRetentionPurge purge)
{
    public Task RunAsync(CancellationToken cancellationToken = default) => purge.RunAsync(cancellationToken);
}
