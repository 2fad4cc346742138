using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>The Server with a small endpoint quota (<see cref="MaxEndpoints"/>), so the quota is reached in a test.</summary>
public sealed class EndpointHubFixture : IAsyncLifetime
{
    public const int MaxEndpoints = 3;

    public HubFixture Hub { get; } = new();

    public async Task InitializeAsync()
    {
        Hub.Settings["Webhooks:MaxEndpointsPerProject"] = MaxEndpoints.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Hub.InitializeAsync();
    }

    public Task DisposeAsync() => Hub.DisposeAsync();

    public static string Path(Tenant tenant) => $"/v1/projects/{tenant.ProjectId}/webhook-endpoints";

    public static async Task<JsonNode> CreateAsync(HttpClient client, Tenant tenant, string url = "https://receiver.example.com/hooks") =>
        await Json(await client.PostAsJsonAsync(Path(tenant), new { url }), HttpStatusCode.Created);
}
