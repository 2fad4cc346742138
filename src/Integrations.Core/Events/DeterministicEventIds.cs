using System.Security.Cryptography;
using System.Text;

namespace Integrations.Core.Events;

/// <summary>
/// Event ids derived from what the event is about (e.g. secret, version, threshold), in the shape of <c>Ids.New("evt")</c>.
/// A job that may run twice (two instances, a retry after a crash) appends the same id, and the outbox keeps it once
/// (<see cref="IEventOutbox.AppendAsync"/> is idempotent by id): "exactly once per threshold" without a marker row.
/// </summary>
public static class DeterministicEventIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>An <c>evt_</c> id of 100 bits of SHA-256 over the parts (length-prefixed, so parts cannot run into each other).</summary>
    public static string For(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part.Length).Append(':').Append(part).Append('|');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        var chars = new char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[hash[i] & 31];
        }

        return "evt_" + new string(chars);
    }

    /// <summary><paramref name="hubEvent"/> (made by <see cref="EventWriter.Create"/>) with the id of <paramref name="parts"/>.</summary>
    public static HubEvent WithIdFor(HubEvent hubEvent, params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(hubEvent);
        return hubEvent with { Id = For(parts) };
    }
}
