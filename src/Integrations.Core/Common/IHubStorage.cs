namespace Integrations.Core.Common;

/// <summary>The storage account as a whole: creates what the hub needs at start and answers readiness probes.</summary>
public interface IHubStorage
{
    /// <summary>Creates tables, queues and containers that do not exist yet (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Throws when storage cannot be reached.</summary>
    Task CheckAsync(CancellationToken cancellationToken = default);
}
