namespace Integrations.Core.Crypto;

/// <summary>A sealed value failed authentication: it was altered, moved to another place, or the key is wrong.</summary>
public sealed class SecretIntegrityException : Exception
{
    public SecretIntegrityException(string message)
        : base(message)
    {
    }

    public SecretIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
