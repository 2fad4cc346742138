using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Integrations.Azure.Tests.KeyVault;

/// <summary>The fake keeps the parts of the Key Vault contract the wrapper's tests rely on.</summary>
public sealed class KeyVaultContractServerTests(KeyVaultContractServer server) : IClassFixture<KeyVaultContractServer>
{
    [Fact]
    public async Task Get_WithoutToken_Answers401WithChallenge()
    {
        using var client = server.CreateHttpClient();

        using var response = await client.GetAsync($"/keys/{server.CreateKey()}?api-version=2025-07-01");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(KeyVaultContractServer.DefaultChallenge, response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Get_UnversionedKeyAfterRotation_AnswersWithTheCurrentVersionKid()
    {
        var name = server.CreateKey();
        var first = server.CurrentVersion(name);
        var current = server.RotateKey(name);
        using var client = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/keys/{name}?api-version=2025-07-01");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", KeyVaultContractServer.AccessToken);

        using var response = await client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(KeyVaultContractServer.Kid(name, current), body.RootElement.GetProperty("key").GetProperty("kid").GetString());
        Assert.NotEqual(first, current);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?api-version=7.4")]
    public async Task Get_WithoutSupportedApiVersion_Answers400(string query)
    {
        using var client = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/keys/{server.CreateKey()}{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", KeyVaultContractServer.AccessToken);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"code\":\"BadParameter\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
