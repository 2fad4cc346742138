namespace Integrations.Core.Events;

/// <summary>
/// Told of every event <see cref="EventWriter"/> appends, after the outbox has it (again on a repeated append of the same
/// event, and by the relay when an earlier hand-off did not finish). Must be idempotent by <see cref="HubEvent.Id"/> and must
/// not throw: the event is already in the outbox.
/// </summary>
public interface IHubEventListener
{
    /// <summary>Handles the event; false when it could not (logged) and should be handed on again later by the relay.</summary>
    Task<bool> OnAppendedAsync(HubEvent hubEvent, CancellationToken cancellationToken = default);
}
