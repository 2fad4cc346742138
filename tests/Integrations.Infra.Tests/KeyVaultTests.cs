namespace Integrations.Infra.Tests;

/// <summary>Key Vault authorizes with RBAC, cannot be purged early, and holds a root key that only wraps.</summary>
public sealed class KeyVaultTests
{
    [Fact]
    public async Task Vault_UsesRbacAndPurgeProtection()
    {
        // Arrange
        var vault = (await CompiledTemplate.MainAsync()).Module("keyvault");

        // Act
        var properties = (Dictionary<string, object?>)vault.Evaluate(vault.ResourcesOfType("Microsoft.KeyVault/vaults").Single()["properties"])!;

        // Assert: losing the root key loses every sealed secret; access policies would bypass the role list.
        Assert.Equal(true, properties["enableRbacAuthorization"]);
        Assert.Equal(true, properties["enablePurgeProtection"]);
        Assert.Equal(true, properties["enableSoftDelete"]);
        Assert.False(properties.ContainsKey("accessPolicies"));
    }

    [Fact]
    public async Task RootKey_IsAnHsmKeyThatOnlyWraps()
    {
        // Arrange
        var vault = (await CompiledTemplate.MainAsync()).Module("keyvault");

        // Act
        var properties = (Dictionary<string, object?>)vault.Evaluate(vault.ResourcesOfType("Microsoft.KeyVault/vaults/keys").Single()["properties"])!;

        // Assert
        Assert.Equal("RSA-HSM", properties["kty"]);
        Assert.True((long)properties["keySize"]! >= 3072);
        Assert.Equal(["unwrapKey", "wrapKey"], ((List<object?>)properties["keyOps"]!).Cast<string>().Order(StringComparer.Ordinal));
    }
}
