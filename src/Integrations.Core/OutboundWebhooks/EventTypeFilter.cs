namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// An endpoint's event-type filter: exact names (<c>invoice.paid</c>) and prefix patterns (<c>invoice.*</c> matches
/// <c>invoice.paid</c> and <c>invoice.item.created</c>, not <c>invoice</c> or <c>invoices.x</c>). No filter = every type.
/// </summary>
public static class EventTypeFilter
{
    public const string Wildcard = ".*";

    public static bool Matches(IReadOnlyList<string> filters, string eventType)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(eventType);
        if (filters.Count == 0)
        {
            return true;
        }

        foreach (var filter in filters)
        {
            if (filter.EndsWith(Wildcard, StringComparison.Ordinal)
                ? eventType.Length > filter.Length - 1 && eventType.StartsWith(filter.AsSpan(0, filter.Length - 1), StringComparison.Ordinal)
                : string.Equals(filter, eventType, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
