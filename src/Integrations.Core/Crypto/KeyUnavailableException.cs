namespace Integrations.Core.Crypto;

/// <summary>The key a value needs exists but cannot be used right now (the root wrapper is unreachable): retry later.</summary>
public sealed class KeyUnavailableException(string message) : Exception(message);
