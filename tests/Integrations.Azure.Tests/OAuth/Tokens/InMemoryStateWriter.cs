using System.Collections.Concurrent;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Tokens;

namespace Integrations.Azure.Tests.OAuth.Tokens;

/// <summary>
/// Stands in for the connections capability's state-change service (merged later): keeps each connection's state
/// and records every status change, as the real one audits it and appends an event.
/// </summary>
public sealed class InMemoryStateWriter : IConnectionStateWriter
{
    private readonly ConcurrentDictionary<string, ConnectionState> _states = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ConcurrentQueue<(string ConnectionId, ConnectionStatus From, ConnectionStatus To, string? Reason)> StatusChanges { get; } = new();

    public int Writes { get; private set; }

    public ConnectionState StateOf(string connectionId) => _states.GetValueOrDefault(connectionId, ConnectionState.New);

    public int ChangesTo(ConnectionStatus status) => StatusChanges.Count(c => c.To == status);

    public Task<Result<ConnectionState>> ChangeAsync(Connection connection, Func<ConnectionState, ConnectionState> change, string actor, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var current = _states.GetValueOrDefault(connection.Id, connection.State);
            var updated = change(current);
            if (ReferenceEquals(updated, current))
            {
                return Task.FromResult<Result<ConnectionState>>(current);
            }

            Writes++;
            if (updated.Status != current.Status)
            {
                StatusChanges.Enqueue((connection.Id, current.Status, updated.Status, updated.StatusReason));
            }

            _states[connection.Id] = updated;
            return Task.FromResult<Result<ConnectionState>>(updated);
        }
    }
}
