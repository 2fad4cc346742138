using Integrations.Core.OAuth;

namespace Integrations.Api.Jobs;

/// <summary>Warns before providers' client secrets expire and marks their connections after (<c>OAuth:ClientSecretExpiryCheckSchedule</c>); see <see cref="ClientSecretExpiryCheck"/>.</summary>
public sealed class CheckClientSecretExpiryJob(ClientSecretExpiryCheck check)
{
    public Task<ClientSecretExpiryCheck.Outcome> RunAsync(CancellationToken cancellationToken = default) => check.RunAsync(cancellationToken);
}
