using Azure;
using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Core.OutboundWebhooks;
using Integrations.Testing;

namespace Integrations.Azure.Tests.OutboundWebhooks;

/// <summary>
/// Someone with write access to the webhook-endpoints table (not to the hub's keys) edits, strips or copies endpoint rows
/// with the Tables SDK: to post a project's events to their own URL, add a header, or make the hub sign with a secret they
/// know. Every such row reads as absent — to the API and to the delivery directory — and is reported.
/// </summary>
public sealed class WebhookEndpointStoreAttackTests : IAsyncLifetime
{
    private EndpointTestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await EndpointTestHub.StartAsync(new Dictionary<string, string?> { ["Webhooks:EndpointCacheDuration"] = "00:00:00" });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task UntouchedRow_RoundTrips_EveryField()
    {
        var project = await _hub.ProjectAsync();
        var created = await _hub.CreateAsync(project, new WebhookEndpointInput("https://example.com/hooks?x=1", "orders", ["invoice.*", "order.created"], true, 25, 5000, null,
            new Dictionary<string, string> { ["X-Tenant"] = "acme" }));

        var read = await _hub.Store.GetAsync(project.OrganizationId, project.Id, created.Id);
        var all = await _hub.Store.ListAllAsync(project.OrganizationId, project.Id);

        Assert.NotNull(read);
        Assert.Equal("https://example.com/hooks?x=1", read.Url.OriginalString);
        Assert.Equal(["invoice.*", "order.created"], read.EventTypes);
        Assert.Equal((25, TimeSpan.FromSeconds(5), "acme"), (read.RateLimitPerSecond, read.Timeout, read.Headers["X-Tenant"]));
        Assert.Equal(created.Keys, read.Keys);
        Assert.Equal(created.Id, Assert.Single(all).Id);
    }

    [Fact]
    public async Task UrlEditedWithTheTablesSdk_EndpointReadsAsAbsent_AndIsReported()
    {
        var project = await _hub.ProjectAsync();
        var endpoint = await _hub.CreateAsync(project, new WebhookEndpointInput("https://receiver.example.com/hooks"));

        await EditAsync(project.OrganizationId, project.Id, endpoint.Id, row =>
        {
            var document = row.GetString("Document");
            Assert.Contains("https://receiver.example.com/hooks", document, StringComparison.Ordinal);
            row["Document"] = document.Replace("https://receiver.example.com/hooks", "https://attacker.example.net/collect", StringComparison.Ordinal);
        });

        await AssertRefusedAsync(project.OrganizationId, project.Id, endpoint.Id);
        Assert.True(await ReportedAsync(endpoint.Id), "the refused row is not in the platform audit log");
    }

    [Fact]
    public async Task KeyOfAnotherEndpointAdded_EndpointReadsAsAbsent()
    {
        var project = await _hub.ProjectAsync();
        var victim = await _hub.CreateAsync(project, new WebhookEndpointInput("https://victim.example.com/"));
        var attackers = await _hub.CreateAsync(project, new WebhookEndpointInput("https://attacker.example.net/"));

        // The attacker can reveal their own endpoint's secret: naming it in the victim's row would let them forge the victim's deliveries.
        await EditAsync(project.OrganizationId, project.Id, victim.Id, row =>
            row["Document"] = row.GetString("Document").Replace(victim.Keys[0].SecretName, attackers.Keys[0].SecretName, StringComparison.Ordinal));

        await AssertRefusedAsync(project.OrganizationId, project.Id, victim.Id);
    }

    [Fact]
    public async Task RowStrippedOfItsMac_IsRefused()
    {
        var project = await _hub.ProjectAsync();
        var endpoint = await _hub.CreateAsync(project, new WebhookEndpointInput("https://example.com/"));

        await EditAsync(project.OrganizationId, project.Id, endpoint.Id, row =>
        {
            row.Remove("Mac");
            row.Remove("Format");
        });

        await AssertRefusedAsync(project.OrganizationId, project.Id, endpoint.Id);
    }

    [Fact]
    public async Task RowCopiedIntoAnotherTenantsPartition_IsRefusedThere()
    {
        var attacker = await _hub.ProjectAsync("Attacker");
        var victim = await _hub.ProjectAsync("Victim");
        var own = await _hub.CreateAsync(attacker, new WebhookEndpointInput("https://attacker.example.net/"));
        var table = Table();

        // The attacker's endpoint planted in the victim's project: the victim's events would go to the attacker.
        var copy = (await table.GetEntityAsync<TableEntity>(Partition(attacker.OrganizationId, attacker.Id), "E:" + own.Id)).Value;
        copy.PartitionKey = Partition(victim.OrganizationId, victim.Id);
        await table.UpsertEntityAsync(copy, TableUpdateMode.Replace);

        await AssertRefusedAsync(victim.OrganizationId, victim.Id, own.Id);
        Assert.NotNull(await _hub.Store.GetAsync(attacker.OrganizationId, attacker.Id, own.Id));
    }

    private static string Partition(string organizationId, string projectId) => $"{organizationId}_{projectId}";

    private TableClient Table() => new(_hub.Services.ConnectionString, _hub.Services.Prefix + "webhookendpoints");

    private async Task EditAsync(string organizationId, string projectId, string endpointId, Action<TableEntity> edit)
    {
        var table = Table();
        var row = (await table.GetEntityAsync<TableEntity>(Partition(organizationId, projectId), "E:" + endpointId)).Value;
        edit(row);
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
    }

    private async Task AssertRefusedAsync(string organizationId, string projectId, string endpointId)
    {
        Assert.Null(await _hub.Store.GetAsync(organizationId, projectId, endpointId));
        Assert.DoesNotContain(await _hub.Store.ListAllAsync(organizationId, projectId), e => e.Id == endpointId);
        Assert.DoesNotContain((await _hub.Store.ListAsync(organizationId, projectId, new Core.Common.PageRequest(1, 100))).Items, e => e.Id == endpointId);
        Assert.Null(await _hub.Directory.GetTargetAsync(organizationId, projectId, endpointId));
        Assert.DoesNotContain(await _hub.Directory.ListSubscribedAsync(organizationId, projectId, "invoice.paid"), e => e.Id == endpointId);
    }

    private async Task<bool> ReportedAsync(string endpointId)
    {
        var records = await AuditRows.ReadAsync(new TableClient(_hub.Services.ConnectionString, _hub.Services.Prefix + "audit"), AuditPartition.Platform);
        return records.Select(r => r.Record.ToJsonString())
            .Any(r => r.Contains(AuditActions.IntegrityViolation, StringComparison.Ordinal) && r.Contains(endpointId, StringComparison.Ordinal));
    }
}
