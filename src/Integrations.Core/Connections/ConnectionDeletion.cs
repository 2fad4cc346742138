namespace Integrations.Core.Connections;

/// <summary>A deleted connection and what became of its tokens.</summary>
public sealed record ConnectionDeletion(Connection Connection, TokenRevocation Revocation);
