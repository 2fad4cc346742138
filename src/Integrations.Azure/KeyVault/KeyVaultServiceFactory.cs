namespace Integrations.Azure.KeyVault;

/// <summary>Creates the Key Vault root wrapper from the service provider.</summary>
internal static class KeyVaultServiceFactory
{
    public static Integrations.Core.Crypto.IRootKeyWrapper Create(IServiceProvider services) =>
        throw new InvalidOperationException("KeyWrapping:Provider KeyVault is not wired yet.");
}
