using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Health;

public sealed class HealthApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task UnknownRoute_ReturnsProblem404_AndHealthProbesArePublic()
    {
        using var anonymous = hub.Client();

        await Problem(await anonymous.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "no-route");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
        var openApi = await Json(await anonymous.GetAsync("/openapi.json"), HttpStatusCode.OK);
        var reveal = openApi["paths"]!["/v1/projects/{projectId}/secrets/{name}/reveal"]!["post"]!;
        // Who may call it, API keys and roles alike, from the role matrix: reveal is for owners and admins, not members.
        Assert.Contains("or a member whose role grants it (owner, admin)", reveal.ToJsonString(), StringComparison.Ordinal);
    }
}
