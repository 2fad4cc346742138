using Azure.Identity;
using Integrations.Core.Crypto;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.KeyVault;

/// <summary>Creates the Key Vault root wrapper, authenticated with DefaultAzureCredential (managed identity in Azure; AZURE_CLIENT_ID picks a user-assigned one).</summary>
internal static class KeyVaultServiceFactory
{
    public static IRootKeyWrapper Create(IServiceProvider services) => new KeyVaultRootKeyWrapper(
        services.GetRequiredService<IOptions<KeyWrappingOptions>>(),
        new DefaultAzureCredential(),
        services.GetRequiredService<ILogger<KeyVaultRootKeyWrapper>>());
}
