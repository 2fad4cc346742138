using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Projects;

public sealed class ProjectsApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Projects_DuplicateNameConflicts_AndBadNameIs400()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        await Json(await owner.PostAsJsonAsync("/v1/projects", new { name = "Payments" }), HttpStatusCode.Created);

        await Problem(await owner.PostAsJsonAsync("/v1/projects", new { name = "payments" }), HttpStatusCode.Conflict, "project-exists");
        await Problem(await owner.PostAsJsonAsync("/v1/projects", new { name = " padded " }), HttpStatusCode.BadRequest, "invalid-name");
        await Problem(await owner.PostAsJsonAsync("/v1/projects", new { }), HttpStatusCode.BadRequest, "missing-field");
    }
}
