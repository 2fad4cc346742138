namespace Integrations.Core.Crypto;

public enum KeyWrappingProvider
{
    Local,
    KeyVault,
}
