namespace Integrations.Core.Events;

/// <summary>
/// Something the hub tells a project (<c>connection.needs_reauth</c>, <c>secret.expiring</c> …), written to the
/// project's durable outbox and delivered later by outbound webhooks — never sent inline. <see cref="Data"/> holds
/// identifiers and reasons, never a credential.
/// </summary>
public sealed record HubEvent(
    string Id,
    string OrganizationId,
    string ProjectId,
    string Type,
    DateTimeOffset OccurredAt,
    string Subject,
    IReadOnlyDictionary<string, string> Data);
