using System.Security.Cryptography;
using Azure;
using Integrations.Azure.KeyVault;
using Integrations.Core.Crypto;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Tests.KeyVault;

/// <summary>Key Vault's challenge-based authentication as the wrapper performs it against the contract server.</summary>
public sealed class KeyVaultChallengeAuthenticationTests(KeyVaultContractServer server) : IClassFixture<KeyVaultContractServer>
{
    private static readonly KeyBinding Kek = new(KeyPurpose.DataKeyEncryption, "kek_aaaaaaaaaaaaaaaaaaaa");

    [Fact]
    public async Task WrapAsync_FirstRequest_IsChallengedWithoutBodyThenSentWithToken()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name, new FakeTokenCredential());
        var key = RandomNumberGenerator.GetBytes(32);

        var wrapped = await wrapper.WrapAsync(key, Kek);

        var requests = server.RequestsFor(name);
        Assert.Equal(2, requests.Count);
        Assert.Equal((401, null, 0), (requests[0].Status, requests[0].Authorization, requests[0].BodyLength));
        Assert.Equal((200, $"Bearer {KeyVaultContractServer.AccessToken}"), (requests[1].Status, requests[1].Authorization));
        Assert.True(requests[1].BodyLength > 0);
        Assert.Equal(key, await wrapper.UnwrapAsync(wrapped, Kek));
    }

    [Theory]
    [InlineData("Bearer authorization=\"https://login.microsoftonline.com/{tenant}\", resource=\"https://vault.azure.net\"")]
    [InlineData("Bearer authorization=\"https://login.microsoftonline.com/{tenant}\", scope=\"https://vault.azure.net/.default\"")]
    [InlineData("Bearer authorization_uri=\"https://login.microsoftonline.com/{tenant}\", resource=\"https://vault.azure.net/\"")]
    [InlineData("PoP nonce=\"abc\", Bearer authorization=\"https://login.microsoftonline.com/{tenant}\",resource=\"https://vault.azure.net\"")]
    public async Task WrapAsync_Challenge_RequestsTokenForChallengeScopeAndTenant(string challenge)
    {
        var name = server.CreateKey();
        server.SetChallenge(name, challenge.Replace("{tenant}", KeyVaultContractServer.TenantId, StringComparison.Ordinal));
        var credential = new FakeTokenCredential();
        var wrapper = CreateWrapper(name, credential);

        await wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek);

        var request = Assert.Single(credential.Requests);
        Assert.Equal(["https://vault.azure.net/.default"], request.Scopes);
        Assert.Equal(KeyVaultContractServer.TenantId, request.TenantId);
    }

    [Fact]
    public async Task WrapAsync_AfterFirstChallenge_SendsTokenOnFirstTry()
    {
        var name = server.CreateKey();
        var credential = new FakeTokenCredential();
        var wrapper = CreateWrapper(name, credential);
        await wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek);
        var before = server.RequestsFor(name).Count;

        var wrapped = await wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek);
        await wrapper.UnwrapAsync(wrapped, Kek);

        var later = server.RequestsFor(name).Skip(before).ToList();
        Assert.Equal(2, later.Count);
        Assert.All(later, r => Assert.Equal((200, $"Bearer {KeyVaultContractServer.AccessToken}"), (r.Status, r.Authorization)));
    }

    [Theory]
    [InlineData("https://attacker.example")]
    [InlineData("https://ault.azure.net")] // a suffix of the host, but not on a label boundary
    [InlineData("https://management.azure.com")]
    [InlineData("http://vault.azure.net")]
    [InlineData("not a uri")]
    public async Task WrapAsync_ChallengeForAnotherResource_RefusedWithoutRequestingToken(string resource)
    {
        var name = server.CreateKey();
        server.SetChallenge(name, $"Bearer authorization=\"https://login.microsoftonline.com/{KeyVaultContractServer.TenantId}\", resource=\"{resource}\"");
        var credential = new FakeTokenCredential();
        var wrapper = CreateWrapper(name, credential);

        await Assert.ThrowsAsync<InvalidOperationException>(() => wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek));

        Assert.Empty(credential.Requests);
        var only = Assert.Single(server.RequestsFor(name));
        Assert.Equal((401, 0), (only.Status, only.BodyLength));
    }

    [Fact]
    public async Task WrapAsync_TokenRejected_ThrowsUnauthorizedWithoutToken()
    {
        const string rejected = "a-token-the-vault-rejects";
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name, new FakeTokenCredential(rejected));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek));

        Assert.Equal(401, error.Status);
        Assert.Equal("Unauthorized", error.ErrorCode);
        Assert.DoesNotContain(rejected, error.ToString(), StringComparison.Ordinal);
    }

    private KeyVaultRootKeyWrapper CreateWrapper(string name, FakeTokenCredential credential) =>
        new(
            Options.Create(new KeyWrappingOptions { Provider = KeyWrappingProvider.KeyVault, KeyId = KeyVaultContractServer.KeyId(name) }),
            credential,
            NullLogger<KeyVaultRootKeyWrapper>.Instance,
            server.CreateClientOptions());
}
