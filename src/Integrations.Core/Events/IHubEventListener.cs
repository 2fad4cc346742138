namespace Integrations.Core.Events;

/// <summary>
/// Told of every event <see cref="EventWriter"/> appends, after the outbox has it (again on a repeated append of the same
/// event). Must be idempotent by <see cref="HubEvent.Id"/> and must not throw: the event is already in the outbox.
/// </summary>
public interface IHubEventListener
{
    Task OnAppendedAsync(HubEvent hubEvent, CancellationToken cancellationToken = default);
}
