using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Integrations.Azure.Tables;
using Integrations.Core.Events;
using Integrations.Core.OAuth.Flows;
using Integrations.Testing;
using Integrations.Testing.OAuth;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// Direct grants (password, client credentials, token exchange, JWT bearer) and the device flow (the hub polls through a queue
/// job) through the real Server against OpenIddict. Credentials sent as parameters never come back in a body or the audit log.
/// </summary>
public sealed class DirectGrantAndDeviceApiTests(ConnectFlowFixture f) : IClassFixture<ConnectFlowFixture>
{
    private const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";

    [Fact]
    public async Task Grant_Password_ConnectsAndThePasswordIsInNoAuditRecord()
    {
        var (tenant, connectionId) = await ConnectionAsync("oauth2_password");
        using var client = f.Hub.Client(tenant.OwnerKey);

        var status = await Json(await client.PostAsJsonAsync(Grant(tenant, connectionId), new
        {
            grant_type = "password",
            parameters = new { username = OpenIddictTestServer.Username, password = OpenIddictTestServer.Password },
        }), HttpStatusCode.OK);

        Assert.Equal("active", (string?)status["status"]);
        Assert.Null((await f.StoredTokenAsync(tenant, connectionId)).ErrorCode);
        await AssertNotAuditedAsync(tenant, OpenIddictTestServer.Password);
    }

    [Fact]
    public async Task Grant_WrongPassword_Returns400WithoutThePasswordAndStoresNothing()
    {
        var (tenant, connectionId) = await ConnectionAsync("oauth2_password");
        using var client = f.Hub.Client(tenant.OwnerKey);
        const string wrong = "wrong-password-7f3a9c";

        var response = await client.PostAsJsonAsync(Grant(tenant, connectionId), new { grant_type = "password", parameters = new { username = "alice", password = wrong } });
        var problem = await Problem(response, HttpStatusCode.BadRequest, ConnectFlowErrors.GrantRefused);

        Assert.Contains("invalid_grant", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, problem.ToJsonString(), StringComparison.Ordinal);
        await f.AssertNothingStoredAsync(tenant, connectionId);
        await AssertNotAuditedAsync(tenant, wrong);
    }

    [Fact]
    public async Task Grant_ClientCredentials_FirstTokenNow()
    {
        var (tenant, connectionId) = await ConnectionAsync("oauth2_client_credentials");
        using var client = f.Hub.Client(tenant.OwnerKey);
        var before = f.Idp.TokenRequests("client_credentials");

        var status = await Json(await client.PostAsJsonAsync(Grant(tenant, connectionId), new { grant_type = "client_credentials" }), HttpStatusCode.OK);

        Assert.Equal("active", (string?)status["status"]);
        Assert.Equal(before + 1, f.Idp.TokenRequests("client_credentials"));
        Assert.Null((await f.StoredTokenAsync(tenant, connectionId)).ErrorCode);
    }

    [Fact]
    public async Task Grant_TokenExchange_ConnectsAndTheSubjectTokenIsInNoAuditRecord()
    {
        var (tenant, connectionId) = await ConnectionAsync("oauth2_generic");
        var subject = (string)(await f.ProviderTokensAsync(OpenIddictTestServer.ClientId, "n-" + TestRandom.Hex(8), "openid api"))["access_token"]!;
        using var client = f.Hub.Client(tenant.OwnerKey);

        var status = await Json(await client.PostAsJsonAsync(Grant(tenant, connectionId), new
        {
            grant_type = "urn:ietf:params:oauth:grant-type:token-exchange",
            parameters = new Dictionary<string, string> { ["subject_token"] = subject, ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token" },
        }), HttpStatusCode.OK);

        Assert.Equal("active", (string?)status["status"]);
        var (token, _) = await f.StoredTokenAsync(tenant, connectionId);
        Assert.NotEqual(subject, token);
        await AssertNotAuditedAsync(tenant, subject);
    }

    [Fact]
    public async Task Grant_JwtBearer_Connects()
    {
        var (tenant, connectionId) = await ConnectionAsync("oauth2_generic");
        using var client = f.Hub.Client(tenant.OwnerKey);

        var status = await Json(await client.PostAsJsonAsync(Grant(tenant, connectionId), new
        {
            grant_type = OpenIddictTestServer.JwtBearerGrantType,
            parameters = new { assertion = f.Idp.CreateJwtBearerAssertion("svc-1") },
        }), HttpStatusCode.OK);

        Assert.Equal("active", (string?)status["status"]);
    }

    [Theory]
    [InlineData("client_secret")]
    [InlineData("client_assertion")]
    [InlineData("CLIENT_ID")]
    [InlineData("grant_type")]
    public async Task Grant_ParameterOverridingClientAuthentication_Returns400AndSendsNothing(string name)
    {
        var (tenant, connectionId) = await ConnectionAsync("oauth2_generic");
        using var client = f.Hub.Client(tenant.OwnerKey);
        var before = f.Idp.TokenRequests(OpenIddictTestServer.JwtBearerGrantType);

        var response = await client.PostAsJsonAsync(Grant(tenant, connectionId), new
        {
            grant_type = OpenIddictTestServer.JwtBearerGrantType,
            parameters = new Dictionary<string, string> { ["assertion"] = f.Idp.CreateJwtBearerAssertion("svc-1"), [name] = "attacker-value-1234" },
        });
        var problem = await Problem(response, HttpStatusCode.BadRequest, ConnectFlowErrors.InvalidGrantParameters);

        Assert.DoesNotContain("attacker-value-1234", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before, f.Idp.TokenRequests(OpenIddictTestServer.JwtBearerGrantType));
        await f.AssertNothingStoredAsync(tenant, connectionId);
    }

    [Theory]
    [InlineData("oauth2_password", "client_credentials")]
    [InlineData("oauth2_generic", "authorization_code")]
    [InlineData("oauth2_generic", "refresh_token")]
    public async Task Grant_GrantTypeNotForTheConnection_Returns400(string type, string grantType)
    {
        var (tenant, connectionId) = await ConnectionAsync(type);
        using var client = f.Hub.Client(tenant.OwnerKey);

        var response = await client.PostAsJsonAsync(Grant(tenant, connectionId), new { grant_type = grantType, parameters = new { code = "x" } });

        await Problem(response, HttpStatusCode.BadRequest, ConnectFlowErrors.InvalidGrantType);
        await f.AssertNothingStoredAsync(tenant, connectionId);
    }

    [Fact]
    public async Task Device_PendingPollsThenApproval_ConnectionBecomesActive()
    {
        var (tenant, connectionId) = await ConnectionAsync("oauth2_device");
        using var client = f.Hub.Client(tenant.OwnerKey);
        var polls = f.Idp.TokenRequests(DeviceGrant);

        var device = await Json(await client.PostAsync(Path(tenant, connectionId, "device"), null), HttpStatusCode.OK);

        Assert.False(string.IsNullOrEmpty((string?)device["user_code"]));
        Assert.StartsWith(f.Idp.Issuer.AbsoluteUri, (string?)device["verification_uri"], StringComparison.Ordinal);
        Assert.True((int)device["interval"]! >= 1);
        Assert.Null(device["device_code"]);
        var waiting = await f.StatusAsync(tenant, connectionId);
        Assert.Equal("pending", (string?)waiting["status"]);
        Assert.Contains("Waiting for the user", (string?)waiting["status_reason"], StringComparison.Ordinal);
        // The hub polls (authorization_pending) before the user has done anything.
        await Until(() => Task.FromResult(f.Idp.TokenRequests(DeviceGrant) > polls), "a pending poll");
        Assert.Equal("pending", (string?)(await f.StatusAsync(tenant, connectionId))["status"]);

        await f.Idp.ApproveDeviceAsync((string)device["user_code"]!);

        await Until(async () => (string?)(await f.StatusAsync(tenant, connectionId))["status"] == "active", "the connection to become active");
        Assert.Null((await f.StoredTokenAsync(tenant, connectionId)).ErrorCode);
    }

    [Fact]
    public async Task Device_UserDenies_PollingEndsWithReasonAndEvent()
    {
        var (tenant, connectionId) = await ConnectionAsync("oauth2_device");
        using var client = f.Hub.Client(tenant.OwnerKey);
        var device = await Json(await client.PostAsync(Path(tenant, connectionId, "device"), null), HttpStatusCode.OK);

        await f.Idp.DenyDeviceAsync((string)device["user_code"]!);

        await Until(async () => ((string?)(await f.StatusAsync(tenant, connectionId))["status_reason"])?.Contains("denied", StringComparison.Ordinal) == true,
            "the status reason to say the user denied");
        var activity = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?type={HubEventTypes.ConnectionDeviceAuthorizationFailed}"), HttpStatusCode.OK);
        var events = activity["data"]!.AsArray();
        Assert.Single(events);
        await f.AssertNothingStoredAsync(tenant, connectionId);
    }

    [Fact]
    public async Task Device_SecondStart_SupersedesTheFirstFlowWhosePollerStops()
    {
        var (tenant, connectionId) = await ConnectionAsync("oauth2_device");
        using var client = f.Hub.Client(tenant.OwnerKey);
        var first = await Json(await client.PostAsync(Path(tenant, connectionId, "device"), null), HttpStatusCode.OK);
        var second = await Json(await client.PostAsync(Path(tenant, connectionId, "device"), null), HttpStatusCode.OK);
        var interval = TimeSpan.FromSeconds((int)first["interval"]!);

        // Were the first flow still polled, its next poll would get access_denied and end the flow with an event.
        await f.Idp.DenyDeviceAsync((string)first["user_code"]!);
        var polls = f.Idp.TokenRequests(DeviceGrant);
        await Until(() => Task.FromResult(f.Idp.TokenRequests(DeviceGrant) >= polls + 2), "two more polls");
        await Task.Delay(interval);

        var activity = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?type={HubEventTypes.ConnectionDeviceAuthorizationFailed}"), HttpStatusCode.OK);
        Assert.Empty(activity["data"]!.AsArray());
        await f.Idp.ApproveDeviceAsync((string)second["user_code"]!);
        await Until(async () => (string?)(await f.StatusAsync(tenant, connectionId))["status"] == "active", "the second flow to connect");
    }

    private async Task<(Tenant Tenant, string ConnectionId)> ConnectionAsync(string type)
    {
        var tenant = await f.TenantAsync();
        var provider = await f.ProviderAsync(tenant);
        return (tenant, await f.ConnectionAsync(tenant, provider, type, "api"));
    }

    private static string Path(Tenant tenant, string connectionId, string action) => $"/v1/projects/{tenant.ProjectId}/connections/{connectionId}/{action}";

    private static string Grant(Tenant tenant, string connectionId) => Path(tenant, connectionId, "grant");

    private async Task AssertNotAuditedAsync(Tenant tenant, string credential)
    {
        var audit = f.Hub.Services.GetRequiredService<HubTables>().Audit;
        var rows = 0;
        // Every row of the hub's audit table (its storage prefix is this fixture's alone), every property: no credential anywhere.
        await foreach (var row in audit.QueryAsync<TableEntity>())
        {
            rows++;
            Assert.DoesNotContain(((IDictionary<string, object>)row).Values, v => v is string text && text.Contains(credential, StringComparison.Ordinal));
            Assert.DoesNotContain(((IDictionary<string, object>)row).Values, v => v is byte[] bytes && System.Text.Encoding.UTF8.GetString(bytes).Contains(credential, StringComparison.Ordinal));
        }

        Assert.True(rows > 0, "The audit table has rows for " + tenant.OrganizationId);
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "Timed out waiting for " + what);
            await Task.Delay(250);
        }
    }
}
