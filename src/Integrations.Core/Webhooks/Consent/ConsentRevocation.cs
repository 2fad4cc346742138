namespace Integrations.Core.Webhooks.Consent;

/// <summary>
/// What a provider's consent-revocation event says: which provider (the templates its connections are made from), which
/// accounts withdrew consent, and a reason for a person. Holds provider ids only, never a token or a signature.
/// </summary>
/// <param name="EventName">The provider's event name, e.g. <c>tokens_revoked</c>.</param>
/// <param name="Templates">Provider template ids (<see cref="OAuth.ProviderTemplates"/>) whose connections the event can concern.</param>
/// <param name="Matches">Each names one set of connections; a connection matching any of them is revoked.</param>
/// <param name="Reason">Why, as the connection's status reason.</param>
public sealed record ConsentRevocation(string EventName, IReadOnlyList<string> Templates, IReadOnlyList<AccountMatch> Matches, string Reason);

/// <summary>
/// Connections whose <see cref="Connections.ConnectionState.ExternalIds"/> hold every pair of <see cref="Ids"/> (the first is the
/// one looked up: the most selective) and none of the keys in <see cref="Absent"/>.
/// </summary>
public sealed record AccountMatch(IReadOnlyList<KeyValuePair<string, string>> Ids, IReadOnlyList<string> Absent)
{
    public static AccountMatch Of(params (string Key, string Value)[] ids) => new(ids.Select(i => KeyValuePair.Create(i.Key, i.Value)).ToArray(), []);

    /// <summary>Whether <paramref name="externalIds"/> satisfies the match.</summary>
    public bool IsMatchedBy(IReadOnlyDictionary<string, string> externalIds)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        return Ids.Count > 0
            && Ids.All(id => externalIds.TryGetValue(id.Key, out var value) && string.Equals(value, id.Value, StringComparison.Ordinal))
            && !Absent.Any(externalIds.ContainsKey);
    }
}
