using Integrations.Core.Vault;

namespace Integrations.Api.Jobs;

/// <summary>Warns before vault secrets expire or fall due for rotation (<c>Vault:ExpiryCheckSchedule</c>); see <see cref="SecretExpiryCheck"/>.</summary>
public sealed class CheckSecretExpiryJob(SecretExpiryCheck check)
{
    public Task<SecretExpiryCheck.Outcome> RunAsync(CancellationToken cancellationToken = default) => check.RunAsync(cancellationToken);
}
