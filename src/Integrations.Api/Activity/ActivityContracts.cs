using Integrations.Core.Events;

namespace Integrations.Api.Activity;

/// <summary>One event of the project's outbox: identifiers and reasons, never a credential.</summary>
public sealed record ActivityResponse(string Id, string Type, DateTimeOffset OccurredAt, string Subject, IReadOnlyDictionary<string, string> Data)
{
    public static ActivityResponse From(HubEvent e) => new(e.Id, e.Type, e.OccurredAt, e.Subject, e.Data);
}
