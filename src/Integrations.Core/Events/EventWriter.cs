using Integrations.Core.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Integrations.Core.Events;

/// <summary>
/// The one way the hub appends to a project's outbox: stamps the event's id (<c>evt_…</c>) and time
/// (<see cref="TimeProvider"/>) and refuses data that could carry a credential. A caller that retries passes the same
/// <see cref="HubEvent"/> to <see cref="AppendAsync(HubEvent, CancellationToken)"/>: the outbox keeps it once. Once the
/// outbox has an event, every <see cref="IHubEventListener"/> is told (outbound webhooks publish it as a message).
/// </summary>
/// <remarks>
/// With listeners and a <see cref="IEventHandOffStore"/>, an <see cref="EventHandOff"/> note is written before the append and
/// removed once every listener has handled the event. A process that dies in between, or a listener that could not finish,
/// leaves the note, and <see cref="RelayAsync"/> (the fan-out recovery job) hands the event on again: an appended event is
/// never left undelivered.
/// </remarks>
public sealed partial class EventWriter(
    IEventOutbox outbox, TimeProvider time, IEnumerable<IHubEventListener>? listeners = null, IEventHandOffStore? handOffs = null,
    ILogger<EventWriter>? logger = null)
{
    private readonly IHubEventListener[] _listeners = listeners?.ToArray() ?? [];
    private readonly ILogger _logger = logger ?? NullLogger<EventWriter>.Instance;

    public const int MaxDataEntries = 16;
    public const int MaxDataKeyLength = 64;
    public const int MaxDataValueLength = 1024;
    public const int MaxSubjectLength = 256;

    /// <summary>
    /// Data keys an event may never carry, whatever the value: the names protocol messages give credentials. A
    /// reason or an error text goes under <c>reason</c>/<c>error</c> and is written by the hub, never copied from a
    /// token response.
    /// </summary>
    private static readonly string[] CredentialKeyParts =
        ["token", "secret", "password", "code", "verifier", "assertion", "key", "credential", "authorization", "cookie"];

    /// <summary>A new event, stamped now with a fresh id; not yet appended.</summary>
    public HubEvent Create(string organizationId, string projectId, string type, string subject, IReadOnlyDictionary<string, string>? data = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        if (!HubEventTypes.IsKnown(type))
        {
            throw new ArgumentException($"'{type}' is not one of HubEventTypes.", nameof(type));
        }

        var copy = new Dictionary<string, string>(data ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        Check(subject, copy);
        return new HubEvent(Ids.New("evt"), organizationId, projectId, type, time.GetUtcNow(), subject, copy);
    }

    /// <summary>Creates and appends an event; returns it.</summary>
    public async Task<HubEvent> AppendAsync(
        string organizationId, string projectId, string type, string subject, IReadOnlyDictionary<string, string>? data = null, CancellationToken cancellationToken = default)
    {
        var hubEvent = Create(organizationId, projectId, type, subject, data);
        await AppendAsync(hubEvent, cancellationToken).ConfigureAwait(false);
        return hubEvent;
    }

    /// <summary>Appends an event made by <see cref="Create"/> (again, on a retry: idempotent by id).</summary>
    public async Task AppendAsync(HubEvent hubEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hubEvent);
        if (!Ids.IsValid("evt", hubEvent.Id) || !HubEventTypes.IsKnown(hubEvent.Type))
        {
            throw new ArgumentException("Append events made by EventWriter.Create.", nameof(hubEvent));
        }

        Check(hubEvent.Subject, hubEvent.Data);
        var handOff = _listeners.Length > 0 && handOffs is not null
            ? new EventHandOff(hubEvent.OrganizationId, hubEvent.ProjectId, hubEvent.Id, time.GetUtcNow())
            : null;
        if (handOff is not null)
        {
            await handOffs!.OpenHandOffAsync(handOff, cancellationToken).ConfigureAwait(false);
        }

        await outbox.AppendAsync(hubEvent, cancellationToken).ConfigureAwait(false);
        // After the append, never before: a listener sees only events the outbox keeps.
        if (await HandOnAsync(hubEvent, cancellationToken).ConfigureAwait(false) && handOff is not null)
        {
            try
            {
                // Not the caller's token: the event is appended and handed on; the note should go even if the caller leaves.
                await handOffs!.CloseHandOffAsync(handOff, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The relay will find the note and hand the event on once more: a repeat, which listeners ignore.
                Log.CloseFailed(_logger, ex, hubEvent.Id);
            }
        }
    }

    /// <summary>
    /// Finishes a hand-off left open (as listed by <see cref="IEventHandOffStore.ListOpenHandOffsAsync"/>; claimed first, so of
    /// two relays one acts): tells every listener of the event again and removes the note once all handled it. A note whose
    /// event was never appended is removed. True when the note is gone.
    /// </summary>
    public async Task<bool> RelayAsync(EventHandOff handOff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handOff);
        if (handOffs is null || !await handOffs.TryClaimHandOffAsync(handOff, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var hubEvent = await handOffs.GetEventAsync(handOff, cancellationToken).ConfigureAwait(false);
        if (hubEvent is not null && !await HandOnAsync(hubEvent, cancellationToken).ConfigureAwait(false))
        {
            // Still not handled: the claimed note comes up again after the recovery delay.
            return false;
        }

        if (hubEvent is not null)
        {
            Log.Relayed(_logger, hubEvent.Id);
        }

        await handOffs.CloseHandOffAsync(handOff, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> HandOnAsync(HubEvent hubEvent, CancellationToken cancellationToken)
    {
        var handled = true;
        foreach (var listener in _listeners)
        {
            // Listeners do not throw; each says whether it finished.
            handled &= await listener.OnAppendedAsync(hubEvent, cancellationToken).ConfigureAwait(false);
        }

        return handled;
    }

    /// <summary>Whether <paramref name="key"/> may name an event data entry (no credential-like name).</summary>
    public static bool IsAllowedDataKey(string key) =>
        !string.IsNullOrEmpty(key) && key.Length <= MaxDataKeyLength && key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
        && !CredentialKeyParts.Any(part => key.Contains(part, StringComparison.Ordinal));

    // Programmer errors throw: the data of an event is written by hub code, never taken from a request or a response.
    private static void Check(string subject, IReadOnlyDictionary<string, string> data)
    {
        if (subject.Length > MaxSubjectLength || !PrintableText.IsPrintable(subject))
        {
            throw new ArgumentException($"An event subject is at most {MaxSubjectLength} printable characters.", nameof(subject));
        }

        if (data.Count > MaxDataEntries)
        {
            throw new ArgumentException($"An event carries at most {MaxDataEntries} data entries.", nameof(data));
        }

        foreach (var (key, value) in data)
        {
            if (!IsAllowedDataKey(key))
            {
                throw new ArgumentException($"Event data key '{key}' is not allowed: lower-case [a-z0-9_] and never a credential's name.", nameof(data));
            }

            if (value is null || value.Length > MaxDataValueLength || !PrintableText.IsPrintable(value))
            {
                throw new ArgumentException($"Event data '{key}' must be at most {MaxDataValueLength} printable characters.", nameof(data));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9362, Level = LogLevel.Warning, Message = "Activity event {EventId}: its hand-off note could not be removed; the relay will hand it on once more.")]
        public static partial void CloseFailed(ILogger logger, Exception exception, string eventId);

        [LoggerMessage(EventId = 9363, Level = LogLevel.Warning, Message = "Activity event {EventId} was handed on by the relay (its first hand-off did not finish).")]
        public static partial void Relayed(ILogger logger, string eventId);
    }
}
