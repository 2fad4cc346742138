using Integrations.Core.Counters;

namespace Integrations.Api.Jobs;

/// <summary>Deletes counter rows past <c>Counters:Retention</c> (<c>Counters:CleanupSchedule</c>); see <see cref="CounterCleanup"/>.</summary>
public sealed class CleanupCountersJob(CounterCleanup cleanup)
{
    public Task RunAsync(CancellationToken cancellationToken = default) => cleanup.RunAsync(cancellationToken);
}
