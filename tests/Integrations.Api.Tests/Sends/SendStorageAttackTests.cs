using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Integrations.Azure.Tables;
using Integrations.Core.Sends;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Sends;

/// <summary>Someone with write access to the table copies another tenant's sealed request into a send of their own.</summary>
public sealed class SendStorageAttackTests(SendHubFixture fixture) : IClassFixture<SendHubFixture>
{
    [Fact]
    public async Task SealedRequest_CopiedIntoAnotherTenantsSend_DoesNotOpen_AndIsNeverSent()
    {
        var hub = fixture.Hub;
        var victim = await hub.CreateTenantAsync("Victim");
        var attacker = await hub.CreateTenantAsync("Attacker");
        using var victimClient = hub.Client(victim.OwnerKey);
        using var attackerClient = hub.Client(attacker.OwnerKey);
        var victimKey = TestRandom.Hex(8);
        var attackerKey = TestRandom.Hex(8);
        // Both fail their first attempt and wait a minute for the next: the queue does not run them during the test.
        var victimSend = await Json(await victimClient.PostAsJsonAsync(SendsApiTests.Sends(victim), new
        {
            url = fixture.Receiver.Url($"fail-once/{victimKey}"), method = "POST", headers = new Dictionary<string, string> { ["X-Secret"] = "victim-secret" },
            retry_policy = new { attempts = 3, backoff_ms = 60000 },
        }), HttpStatusCode.OK);
        var attackerSend = await Json(await attackerClient.PostAsJsonAsync(SendsApiTests.Sends(attacker), new
        {
            url = fixture.Receiver.Url($"fail-once/{attackerKey}"), method = "POST", retry_policy = new { attempts = 3, backoff_ms = 60000 },
        }), HttpStatusCode.OK);
        var table = hub.Services.GetRequiredService<HubTables>().OutboundSends;
        var stolen = (await table.GetEntityAsync<TableEntity>($"{victim.OrganizationId}_{victim.ProjectId}", (string)victimSend["id"]!)).Value;
        var planted = new TableEntity($"{attacker.OrganizationId}_{attacker.ProjectId}", (string)attackerSend["id"]!);
        foreach (var column in stolen.Keys.Where(k => k == "RequestParts" || (k.StartsWith('R') && k.Skip(1).All(char.IsAsciiDigit))))
        {
            planted[column] = stolen[column];
        }

        await table.UpsertEntityAsync(planted, TableUpdateMode.Merge);
        var message = JsonSerializer.Serialize(new
        {
            organizationId = attacker.OrganizationId, projectId = attacker.ProjectId, sendId = (string)attackerSend["id"]!, attempt = 2,
        });

        var handled = await hub.Services.GetRequiredService<OutboundSendService>().RunQueuedAsync(message, redelivered: false);
        var after = await Json(await attackerClient.GetAsync($"{SendsApiTests.Sends(attacker)}/{(string)attackerSend["id"]!}"), HttpStatusCode.OK);

        Assert.True(handled);
        Assert.Equal("failed", (string?)after["status"]);
        Assert.Contains("could not be opened", (string?)after["reason"], StringComparison.Ordinal);
        Assert.Single(fixture.Receiver.With(victimKey));
        Assert.Single(fixture.Receiver.With(attackerKey));
        Assert.DoesNotContain("victim-secret", after.ToJsonString(), StringComparison.Ordinal);
    }
}
