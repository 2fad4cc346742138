namespace Integrations.Core.OAuth.Tokens;

/// <summary>One entry of the <see cref="IRefreshDueIndex"/>: the connection whose token the refresh-ahead job should renew at <see cref="DueAt"/>.</summary>
public sealed record RefreshDue(string OrganizationId, string ProjectId, string ConnectionId, DateTimeOffset DueAt);
