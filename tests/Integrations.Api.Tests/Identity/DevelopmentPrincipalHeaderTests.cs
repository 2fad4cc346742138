using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>The Development-only <c>X-Principal-Id</c> header, in Development: it authenticates as the user in their default organization.</summary>
public sealed class DevelopmentPrincipalHeaderTests : IClassFixture<DevelopmentPrincipalHeaderTests.DevelopmentHub>
{
    private readonly HubFixture _hub;

    public DevelopmentPrincipalHeaderTests(DevelopmentHub hub) => _hub = hub.Hub;

    [Fact]
    public async Task PrincipalHeader_InDevelopment_AuthenticatesAsTheUserInTheirPersonalOrganization()
    {
        using var anonymous = _hub.Client();
        var tokens = await Json(await anonymous.PostAsJsonAsync("/v1/auth/signup", new { email = AuthHubFixture.NewEmail(), password = AuthHubFixture.Password }), HttpStatusCode.Created);
        var userId = (string)tokens["user"]!["id"]!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Add("X-Principal-Id", userId);

        var response = await anonymous.SendAsync(request);

        var me = await Json(response, HttpStatusCode.OK);
        Assert.Equal((userId, "owner"), ((string?)me["id"], (string?)me["role"]));
        Assert.Equal((string?)tokens["organization_id"], (string?)me["organization_id"]);
    }

    [Fact]
    public async Task PrincipalHeader_InDevelopment_UnknownUserIs401()
    {
        using var anonymous = _hub.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Add("X-Principal-Id", "usr_aaaaaaaaaaaaaaaaaaaa");

        var response = await anonymous.SendAsync(request);

        await Problem(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    public sealed class DevelopmentHub : IAsyncLifetime
    {
        public HubFixture Hub { get; } = new() { Environment = "Development" };

        public Task InitializeAsync()
        {
            Hub.Settings["Hub:PublicBaseUrl"] = "https://hub.example.com";
            return Hub.InitializeAsync();
        }

        public Task DisposeAsync() => Hub.DisposeAsync();
    }
}
