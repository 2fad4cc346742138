namespace Integrations.Azure.KeyVault;

/// <summary>
/// The configured Key Vault key: the vault's origin and the key's name. Every request URI is built from
/// these two, never from a stored <c>kid</c>, so a tampered key record cannot send a request elsewhere.
/// </summary>
internal sealed class KeyVaultKeyId
{
    private KeyVaultKeyId(Uri vault, string name)
    {
        Vault = vault;
        Name = name;
    }

    /// <summary>The vault origin, e.g. <c>https://myvault.vault.azure.net</c> (no path).</summary>
    public Uri Vault { get; }

    /// <summary>The key name, e.g. <c>hub-root</c>.</summary>
    public string Name { get; }

    /// <summary>The unversioned key URI, for messages and logs.</summary>
    public string Display => $"{Vault.GetLeftPart(UriPartial.Authority)}/keys/{Name}";

    /// <summary>Parses an unversioned key URI such as <c>https://myvault.vault.azure.net/keys/hub-root</c>.</summary>
    /// <exception cref="InvalidOperationException">The URI is not an https Key Vault key URI without a version.</exception>
    public static KeyVaultKeyId Parse(Uri? keyId)
    {
        if (keyId is null || !keyId.IsAbsoluteUri || keyId.Scheme != Uri.UriSchemeHttps
            || keyId.UserInfo.Length != 0 || keyId.Query.Length != 0 || keyId.Fragment.Length != 0)
        {
            throw new InvalidOperationException(
                "KeyWrapping:KeyId must be an https Key Vault key URI such as https://myvault.vault.azure.net/keys/hub-root.");
        }

        var segments = keyId.AbsolutePath.TrimEnd('/').Split('/');
        if (segments.Length == 4)
        {
            throw new InvalidOperationException(
                "KeyWrapping:KeyId must not name a key version: wrapping always uses the key's current version (https://myvault.vault.azure.net/keys/hub-root).");
        }

        if (segments.Length != 3 || segments[0].Length != 0
            || !string.Equals(segments[1], "keys", StringComparison.OrdinalIgnoreCase) || !IsObjectName(segments[2]))
        {
            throw new InvalidOperationException(
                "KeyWrapping:KeyId must be a Key Vault key URI such as https://myvault.vault.azure.net/keys/hub-root.");
        }

        return new KeyVaultKeyId(new Uri(keyId.GetLeftPart(UriPartial.Authority)), segments[2]);
    }

    /// <summary>
    /// Reads the version out of a versioned <c>kid</c> (<c>https://{vault}/keys/{name}/{version}</c>) when it names
    /// this vault (scheme, host and port) and this key; otherwise returns false.
    /// </summary>
    public bool TryGetVersion(string? kid, out string version)
    {
        version = string.Empty;
        if (!Uri.TryCreate(kid, UriKind.Absolute, out var uri)
            || uri.Scheme != Vault.Scheme
            || !string.Equals(uri.Host, Vault.Host, StringComparison.OrdinalIgnoreCase)
            || uri.Port != Vault.Port
            || uri.UserInfo.Length != 0 || uri.Query.Length != 0 || uri.Fragment.Length != 0)
        {
            return false;
        }

        var segments = uri.AbsolutePath.Split('/');
        if (segments.Length != 4 || segments[0].Length != 0
            || !string.Equals(segments[1], "keys", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(segments[2], Name, StringComparison.OrdinalIgnoreCase)
            || !IsObjectName(segments[3]))
        {
            return false;
        }

        version = segments[3];
        return true;
    }

    /// <summary>The URI of an operation on the current key version (<c>{vault}/keys/{name}/{operation}</c>) or on the key itself.</summary>
    public Uri KeyUri(string? operation = null) =>
        new(Vault, operation is null ? $"keys/{Name}" : $"keys/{Name}/{operation}");

    /// <summary>The URI of an operation on one key version (<c>{vault}/keys/{name}/{version}/{operation}</c>).</summary>
    public Uri VersionUri(string version, string operation) => new(Vault, $"keys/{Name}/{version}/{operation}");

    // Key Vault object names and versions: letters, digits and hyphens, 1–127 characters
    // (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers).
    // Checking the characters also keeps '%', '.' and '/' — path tricks — out of every URI built here.
    private static bool IsObjectName(string value) =>
        value.Length is > 0 and <= 127 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
