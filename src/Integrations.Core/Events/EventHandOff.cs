namespace Integrations.Core.Events;

/// <summary>
/// A note, written before an event is appended and removed once every <see cref="IHubEventListener"/> has handled it, that
/// the event is being handed on (outbound webhooks publish it as a message). One older than
/// <c>Webhooks:FanOutRecoveryAfter</c> means the process died between the append and the hand-off, or a listener could not
/// finish: <see cref="EventWriter.RelayAsync"/> hands the event on again (listeners are idempotent by event id).
/// </summary>
/// <param name="OpenedAt">When the append began; the note is found by this time (or by when a relay last claimed it).</param>
/// <param name="ETag">The stored note's version, when it was read: a relay claims the note with it.</param>
public sealed record EventHandOff(string OrganizationId, string ProjectId, string EventId, DateTimeOffset OpenedAt, string? ETag = null);
