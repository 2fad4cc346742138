namespace Integrations.Client.Tests.Auth;

/// <summary>
/// Which credential each kind of auth call carries, seen on the wire (a scripted loopback hub records the header): the hub
/// cannot show it, as it ignores a credential on an anonymous route.
/// </summary>
public sealed class AuthCredentialTests
{
    [Fact]
    public async Task AnonymousCalls_ClientWithAnApiKey_SendNoCredential()
    {
        using var stub = new ScriptedHub();
        using var client = new IntegrationsHubClient(stub.BaseAddress, "ihk_the_api_key");

        await client.Auth.LogoutAsync("a-refresh-token");
        await client.Auth.RequestPasswordResetAsync("p@example.com");
        await client.Secrets.ListAsync("prj_1");

        Assert.Equal([null, null, "Bearer ihk_the_api_key"], stub.Authorizations);
    }

    [Fact]
    public async Task CallsAsThePerson_ClientWithAnApiKey_SendTheAccessTokenInstead()
    {
        using var stub = new ScriptedHub();
        using var client = new IntegrationsHubClient(stub.BaseAddress, "ihk_the_api_key");

        await client.Auth.GetMeAsync("the.access.token");
        await client.Auth.ListSocialConnectionsAsync("the.access.token");

        Assert.Equal(["Bearer the.access.token", "Bearer the.access.token"], stub.Authorizations);
    }
}
