using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Integrations.Core.Crypto;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Admin;

public sealed class KeyRotationApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task RotateKeys_WhileServingTraffic_CompletesAndRetiresOldKek()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        using var admin = hub.Client(hub.AdminKey);
        const int secrets = 40;
        for (var i = 0; i < secrets; i++)
        {
            await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = $"rot-{i}", value = $"value-{i}" }), HttpStatusCode.Created);
        }

        var oldKek = (await hub.Services.GetRequiredService<KeyRing>().GetStateAsync()).ActiveKekId;

        var started = await Json(await admin.PostAsJsonAsync("/v1/admin/keys/rotate", new { target = "data_keys" }), HttpStatusCode.Accepted);
        var rotationId = (string)started["id"]!;
        // Traffic during the rotation: every request must succeed.
        var failures = new List<string>();
        var updates = 0;
        string status;
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(90);
        do
        {
            var i = updates % secrets;
            var reveal = await client.PostAsync($"{tenant.Secrets}/rot-{i}/reveal", null);
            var update = await client.PutAsJsonAsync($"{tenant.Secrets}/rot-{i}", new { value = $"value-{i}-u{updates}" });
            if (reveal.StatusCode != HttpStatusCode.OK || update.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{reveal.StatusCode}/{update.StatusCode}");
            }

            updates++;
            status = (string)(await Json(await admin.GetAsync($"/v1/admin/keys/rotations/{rotationId}"), HttpStatusCode.OK))["status"]!;
        }
        while (status != "completed" && TimeProvider.System.GetUtcNow() < deadline);

        Assert.Equal("completed", status);
        Assert.Empty(failures);
        var rows = new TableClient(hub.ConnectionString, hub.Prefix + "secrets").QueryAsync<TableEntity>(select: ["RowKey", "KekId"]);
        var kekIds = new List<string>();
        await foreach (var row in rows)
        {
            kekIds.Add(row.GetString("KekId"));
        }

        Assert.NotEmpty(kekIds);
        Assert.DoesNotContain(oldKek, kekIds);
        Assert.True((await hub.Services.GetRequiredService<IKeyRecordStore>().GetAsync(oldKek))!.IsRetired);
        for (var i = 0; i < secrets; i++)
        {
            var revealed = await Json(await client.PostAsync($"{tenant.Secrets}/rot-{i}/reveal", null), HttpStatusCode.OK);
            Assert.StartsWith($"value-{i}", (string?)revealed["value"], StringComparison.Ordinal);
            var first = await Json(await client.PostAsJsonAsync($"{tenant.Secrets}/rot-{i}/reveal", new { version = 1 }), HttpStatusCode.OK);
            Assert.Equal($"value-{i}", (string?)first["value"]);
        }
    }

    [Fact]
    public async Task RotateKeys_BadTargetOrUnknownRotation_AreClientErrors()
    {
        using var admin = hub.Client(hub.AdminKey);

        await Problem(await admin.PostAsJsonAsync("/v1/admin/keys/rotate", new { target = "everything" }), HttpStatusCode.BadRequest, "invalid-target");
        await Problem(await admin.GetAsync("/v1/admin/keys/rotations/rot_aaaaaaaaaaaaaaaaaaaa"), HttpStatusCode.NotFound, "not-found");
        await Problem(await admin.GetAsync("/v1/admin/keys/rotations/not-an-id"), HttpStatusCode.NotFound, "not-found");
    }
}
