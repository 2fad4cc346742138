using Azure;
using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Webhooks;
using Integrations.Testing;

namespace Integrations.Azure.Tests.Webhooks;

/// <summary>
/// Someone with write access to the webhook-sources table (not to the hub's keys) edits, strips or copies source rows, or
/// forges index rows, with the Tables SDK: to make a forged delivery verify (their own secret, a disabled source back on)
/// or to send one tenant's deliveries into another's. Every such row reads as absent and is reported.
/// </summary>
public sealed class WebhookSourceStoreAttackTests : IAsyncLifetime
{
    private WebhookTestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await WebhookTestHub.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task UntouchedRows_RoundTrip_ThroughGetFindListAndRename()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.CreateAsync(project, new WebhookSourceInput("generic", "hmac", "ours",
            new WebhookSettingsInput(60, new HmacSettingsInput("X-Signature", "sha512", "base64", "sha512=", "X-Timestamp", ":"), "X-Event-Id", "/id", "/type"),
            Secret: "0123456789abcdef"));

        var renamed = await _hub.Sources.PatchAsync(project, source.Id, i => i with { Name = "generic-2" });
        var found = await _hub.Store.FindAsync(source.Id);
        var listed = await _hub.Store.ListAsync(project.OrganizationId, project.Id, new Core.Common.PageRequest(1, 10));
        var byProject = await _hub.Store.ListByProjectAsync(project.Id);

        Assert.True(renamed.IsSuccess);
        Assert.NotNull(found);
        Assert.Equal(renamed.Value with { ETag = null, Keys = [] }, found with { ETag = null, Keys = [] });
        Assert.Equal(source.Settings, found.Settings);
        Assert.Equal(source.Keys, found.Keys);
        Assert.Equal(found.Id, Assert.Single(listed.Items).Id);
        Assert.Equal(found.Id, Assert.Single(byProject).Id);
        // The old name is free again, the new one taken.
        Assert.True((await _hub.Sources.CreateAsync(project, new WebhookSourceInput("generic", "github", Secret: "s3cret"), "test")).IsSuccess);
        Assert.Equal(WebhookErrors.SourceExists, (await _hub.Sources.CreateAsync(project, new WebhookSourceInput("generic-2", "github", Secret: "s3cret"), "test")).Error?.Code);
    }

    [Theory]
    [InlineData("\"enabled\":false", "\"enabled\":true")]
    [InlineData("\"scheme\":\"standard\"", "\"scheme\":\"github\"")]
    [InlineData("\"toleranceSeconds\":300", "\"toleranceSeconds\":3600")]
    public async Task DocumentEdited_SourceIsNotFound_AndReported(string from, string to)
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);
        if (from.Contains("enabled", StringComparison.Ordinal))
        {
            Assert.True((await _hub.Sources.PatchAsync(project, source.Id, i => i with { Enabled = false })).IsSuccess);
        }

        await EditAsync(Partition(project.OrganizationId, project.Id), source.Id, row =>
        {
            var document = row.GetString("Document");
            Assert.Contains(from, document, StringComparison.Ordinal);
            row["Document"] = document.Replace(from, to, StringComparison.Ordinal);
        });

        await AssertRefusedAsync(project.OrganizationId, project.Id, source.Id);
        Assert.True(await ReportedAsync(source.Id), "the refused row is not in the platform audit log");
    }

    [Fact]
    public async Task KeyOfAnotherSourceSwappedIn_SourceIsNotFound()
    {
        var project = await _hub.ProjectAsync();
        var victim = await _hub.StandardAsync(project, "victim");
        var attackers = await _hub.CreateAsync(project, new WebhookSourceInput("mine", "standard", GenerateSecret: true));

        // The attacker knows their own source's secret: naming its vault secret in the victim's row would make their forgeries verify.
        await EditAsync(Partition(project.OrganizationId, project.Id), victim.Id, row =>
            row["Document"] = row.GetString("Document").Replace(victim.Keys[0].SecretName, attackers.Keys[0].SecretName, StringComparison.Ordinal));

        await AssertRefusedAsync(project.OrganizationId, project.Id, victim.Id);
        Assert.Null(await _hub.Resolver.ResolveAsync(victim.Id));
    }

    [Fact]
    public async Task RowStrippedOfItsMac_IsRefused()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);

        await EditAsync(Partition(project.OrganizationId, project.Id), source.Id, row =>
        {
            row.Remove("Mac");
            row.Remove("Format");
        });

        await AssertRefusedAsync(project.OrganizationId, project.Id, source.Id);
    }

    [Fact]
    public async Task ForgedIndexRow_PointingAtAnotherTenantsPartition_FindsNothing()
    {
        var attacker = await _hub.ProjectAsync("Attacker");
        var victim = await _hub.ProjectAsync("Victim");
        var own = await _hub.StandardAsync(attacker);
        var victims = await _hub.CreateAsync(victim, new WebhookSourceInput("payments", "github", Secret: "victims-github-secret"));
        var table = Table();

        // 1. The attacker's source id made to lead into the victim's partition, where the victim's row is copied under that id.
        await table.UpsertEntityAsync(new TableEntity("I:" + own.Id, "I") { ["OrganizationId"] = victim.OrganizationId, ["ProjectId"] = victim.Id }, TableUpdateMode.Replace);
        var copy = (await table.GetEntityAsync<TableEntity>(Partition(victim.OrganizationId, victim.Id), "S:" + victims.Id)).Value;
        copy.RowKey = "S:" + own.Id;
        await table.UpsertEntityAsync(copy, TableUpdateMode.Replace);
        // 2. The victim's source id made to lead into the attacker's partition, where the victim's row is copied as it is.
        await table.UpsertEntityAsync(new TableEntity("I:" + victims.Id, "I") { ["OrganizationId"] = attacker.OrganizationId, ["ProjectId"] = attacker.Id }, TableUpdateMode.Replace);
        var moved = (await table.GetEntityAsync<TableEntity>(Partition(victim.OrganizationId, victim.Id), "S:" + victims.Id)).Value;
        moved.PartitionKey = Partition(attacker.OrganizationId, attacker.Id);
        await table.UpsertEntityAsync(moved, TableUpdateMode.Replace);

        Assert.Null(await _hub.Store.FindAsync(own.Id));
        Assert.Null(await _hub.Store.FindAsync(victims.Id));
        Assert.Null(await _hub.Resolver.ResolveAsync(own.Id));
        Assert.Null(await _hub.Resolver.ResolveAsync(victims.Id));
        // The victim's source is untouched where it lives.
        Assert.NotNull(await _hub.Store.GetAsync(victim.OrganizationId, victim.Id, victims.Id));
        Assert.True(await ReportedAsync(own.Id), "the copied row is not in the platform audit log");
    }

    [Fact]
    public async Task ForgedProjectIndexRow_NamingAnotherOrganization_ListsNothingOfIt()
    {
        var attacker = await _hub.ProjectAsync("Attacker");
        var victim = await _hub.ProjectAsync("Victim");
        var own = await _hub.StandardAsync(attacker);
        var table = Table();

        // The victim's project said to belong to the attacker's organization too, with the attacker's row copied under it.
        await table.UpsertEntityAsync(new TableEntity("P:" + victim.Id, attacker.OrganizationId), TableUpdateMode.Replace);
        var copy = (await table.GetEntityAsync<TableEntity>(Partition(attacker.OrganizationId, attacker.Id), "S:" + own.Id)).Value;
        copy.PartitionKey = Partition(attacker.OrganizationId, victim.Id);
        await table.UpsertEntityAsync(copy, TableUpdateMode.Replace);

        Assert.Empty(await _hub.Store.ListByProjectAsync(victim.Id));
    }

    private static string Partition(string organizationId, string projectId) => $"{organizationId}_{projectId}";

    private TableClient Table() => new(_hub.Services.ConnectionString, _hub.Services.Prefix + "webhooksources");

    private async Task EditAsync(string partition, string sourceId, Action<TableEntity> edit)
    {
        var table = Table();
        var row = (await table.GetEntityAsync<TableEntity>(partition, "S:" + sourceId)).Value;
        edit(row);
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
    }

    private async Task AssertRefusedAsync(string organizationId, string projectId, string sourceId)
    {
        Assert.Null(await _hub.Store.GetAsync(organizationId, projectId, sourceId));
        Assert.Null(await _hub.Store.FindAsync(sourceId));
        Assert.DoesNotContain(await _hub.Store.ListByProjectAsync(projectId), s => s.Id == sourceId);
        Assert.DoesNotContain((await _hub.Store.ListAsync(organizationId, projectId, new Core.Common.PageRequest(1, 100))).Items, s => s.Id == sourceId);
    }

    private async Task<bool> ReportedAsync(string sourceId)
    {
        var records = await AuditRows.ReadAsync(new TableClient(_hub.Services.ConnectionString, _hub.Services.Prefix + "audit"), AuditPartition.Platform);
        return records.Select(r => r.Record.ToJsonString())
            .Any(r => r.Contains(AuditActions.IntegrityViolation, StringComparison.Ordinal) && r.Contains(sourceId, StringComparison.Ordinal));
    }
}
