namespace Integrations.Core.Connections;

/// <summary>Who the connection acts as at the provider: from the validated id token and/or userinfo. Never a secret.</summary>
public sealed record ConnectedAccount(string? Subject, string? Email, string? Name);
