using Integrations.Core.Common;

namespace Integrations.Core.Events;

/// <summary>
/// The one way the hub appends to a project's outbox: stamps the event's id (<c>evt_…</c>) and time
/// (<see cref="TimeProvider"/>) and refuses data that could carry a credential. A caller that retries passes the same
/// <see cref="HubEvent"/> to <see cref="AppendAsync(HubEvent, CancellationToken)"/>: the outbox keeps it once. Once the
/// outbox has an event, every <see cref="IHubEventListener"/> is told (outbound webhooks publish it as a message).
/// </summary>
public sealed class EventWriter(IEventOutbox outbox, TimeProvider time, IEnumerable<IHubEventListener>? listeners = null)
{
    private readonly IHubEventListener[] _listeners = listeners?.ToArray() ?? [];

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
        await outbox.AppendAsync(hubEvent, cancellationToken).ConfigureAwait(false);
        // After the append, never before: a listener sees only events the outbox keeps. Listeners do not throw.
        foreach (var listener in _listeners)
        {
            await listener.OnAppendedAsync(hubEvent, cancellationToken).ConfigureAwait(false);
        }
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
}
