using Microsoft.Extensions.Options;

namespace Integrations.Core.Crypto;

/// <summary>Cross-field rules: each provider needs its own setting, and the message says which to set.</summary>
public sealed class KeyWrappingOptionsValidator : IValidateOptions<KeyWrappingOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyWrappingOptions options)
    {
        switch (options.Provider)
        {
            case KeyWrappingProvider.Local:
                if (!LocalRootKey.TryDecode(options.RootKey, out _))
                {
                    return ValidateOptionsResult.Fail(
                        "KeyWrapping:RootKey must be 32 random bytes in base64 when KeyWrapping:Provider is Local (generate one with `openssl rand -base64 32`).");
                }

                foreach (var previous in options.PreviousRootKeys)
                {
                    if (!LocalRootKey.TryDecode(previous, out _))
                    {
                        return ValidateOptionsResult.Fail("Every KeyWrapping:PreviousRootKeys entry must be 32 bytes in base64.");
                    }
                }

                return ValidateOptionsResult.Success;
            case KeyWrappingProvider.KeyVault:
                var keyId = options.KeyId;
                if (keyId is null || !keyId.IsAbsoluteUri || keyId.Scheme != Uri.UriSchemeHttps
                    || keyId.Segments.Length != 3 || !string.Equals(keyId.Segments[1], "keys/", StringComparison.OrdinalIgnoreCase)
                    || !string.IsNullOrEmpty(keyId.Query))
                {
                    return ValidateOptionsResult.Fail(
                        "KeyWrapping:KeyId must be an unversioned Key Vault key URI such as https://myvault.vault.azure.net/keys/hub-root when KeyWrapping:Provider is KeyVault " +
                        "(unversioned, so wrapping uses the key's current version).");
                }

                return ValidateOptionsResult.Success;
            default:
                return ValidateOptionsResult.Fail("KeyWrapping:Provider must be Local or KeyVault.");
        }
    }
}
