using Integrations.Core.Common;

namespace Integrations.Core.Connections;

/// <summary>Storage of a project's connections. Every write is conditional on an ETag: nothing is overwritten silently.</summary>
public interface IConnectionStore
{
    /// <summary>Adds the connection with its initial state; <see cref="WriteOutcome.Conflict"/> when its name is taken in the project.</summary>
    Task<WriteOutcome> TryCreateAsync(Connection connection, CancellationToken cancellationToken = default);

    /// <summary>The connection with its current <see cref="Connection.State"/>.</summary>
    Task<Connection?> GetAsync(string organizationId, string projectId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the configuration if <see cref="Connection.ETag"/> still matches; the state is untouched.</summary>
    Task<WriteOutcome> TryUpdateAsync(Connection updated, CancellationToken cancellationToken = default);

    /// <summary>Replaces the state if <see cref="ConnectionState.ETag"/> of <paramref name="state"/> still matches.</summary>
    Task<WriteOutcome> TryUpdateStateAsync(string organizationId, string projectId, string connectionId, ConnectionState state, CancellationToken cancellationToken = default);

    Task<WriteOutcome> TryDeleteAsync(Connection connection, CancellationToken cancellationToken = default);

    Task<PagedList<Connection>> ListAsync(string organizationId, string projectId, ConnectionQuery query, CancellationToken cancellationToken = default);
}
