using Azure.Core;

namespace Integrations.Azure.KeyVault;

/// <summary>
/// HTTP pipeline settings for <see cref="KeyVaultRootKeyWrapper"/>: retries, transport and diagnostics, as for any
/// Azure SDK client. The defaults are Azure.Core's: up to 3 retries with exponential back-off from 0.8 s, on 408,
/// 429, 500, 502, 503 and 504 and on network errors, waiting at least as long as the <c>Retry-After</c> header asks
/// (Key Vault throttling: https://learn.microsoft.com/azure/key-vault/general/overview-throttling).
/// </summary>
public sealed class KeyVaultClientOptions : ClientOptions
{
}
