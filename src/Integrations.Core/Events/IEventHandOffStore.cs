namespace Integrations.Core.Events;

/// <summary>The notes of events being handed on to listeners (<see cref="EventHandOff"/>), across every tenant.</summary>
public interface IEventHandOffStore
{
    /// <summary>Writes <paramref name="handOff"/> (before the event is appended).</summary>
    Task OpenHandOffAsync(EventHandOff handOff, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="handOff"/> (nothing when it is gone already).</summary>
    Task CloseHandOffAsync(EventHandOff handOff, CancellationToken cancellationToken = default);

    /// <summary>Notes opened (or last claimed) before <paramref name="openedBefore"/>, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<EventHandOff>> ListOpenHandOffsAsync(DateTimeOffset openedBefore, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a listed <paramref name="handOff"/> for one relay (ETag-conditional; its time moves to <paramref name="now"/>, so
    /// a relay that dies midway leaves it to be found again later). False when another relay has it or it is gone.
    /// </summary>
    Task<bool> TryClaimHandOffAsync(EventHandOff handOff, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The event the note names, from the outbox; null when it was never appended (the process died first).</summary>
    Task<HubEvent?> GetEventAsync(EventHandOff handOff, CancellationToken cancellationToken = default);
}
