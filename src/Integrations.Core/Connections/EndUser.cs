namespace Integrations.Core.Connections;

/// <summary>The platform's own user a connection belongs to (as Nango keys connections by end user).</summary>
public sealed record EndUser(string Id, string? DisplayName);
