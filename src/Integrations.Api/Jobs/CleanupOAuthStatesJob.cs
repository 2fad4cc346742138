using Integrations.Core.OAuth.Flows;

namespace Integrations.Api.Jobs;

/// <summary>Deletes OAuth states and start links past their expiry (<c>OAuth:StateCleanupSchedule</c>); reads already treat them as absent.</summary>
public sealed class CleanupOAuthStatesJob(OAuthStateService states)
{
    public Task RunAsync(CancellationToken cancellationToken = default) => states.RemoveExpiredAsync(cancellationToken);
}
