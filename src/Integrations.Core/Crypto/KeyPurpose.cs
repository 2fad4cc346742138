namespace Integrations.Core.Crypto;

/// <summary>What a hub key is for.</summary>
public enum KeyPurpose
{
    /// <summary>A KEK: wraps the data keys of sealed values.</summary>
    DataKeyEncryption,

    /// <summary>The key of the audit log's HMACs and hash chain.</summary>
    AuditHmac,
}
