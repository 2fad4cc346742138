using Integrations.Core.Identity;

namespace Integrations.Api.Jobs;

/// <summary>Removes the rows of API keys that expired or were revoked more than <c>Hub:EndedApiKeyRetention</c> ago, each audited.</summary>
public sealed class CleanupApiKeysJob(ApiKeyService apiKeys)
{
    public Task RunAsync(CancellationToken cancellationToken = default) => apiKeys.RemoveEndedAsync(cancellationToken);
}
