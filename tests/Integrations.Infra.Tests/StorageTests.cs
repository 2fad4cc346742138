using Azure.Data.Tables;
using Integrations.Azure.Blobs;
using Integrations.Azure.Tables;
using Integrations.Core.Common;

namespace Integrations.Infra.Tests;

/// <summary>The storage account refuses shared keys and holds every table, queue and container the hub's code names.</summary>
public sealed class StorageTests
{
    [Fact]
    public async Task StorageAccount_SharedKeyAccess_IsOff()
    {
        // Arrange
        var storage = (await CompiledTemplate.MainAsync()).Module("storage");

        // Act
        var account = storage.ResourcesOfType("Microsoft.Storage/storageAccounts").Single();
        var properties = (Dictionary<string, object?>)storage.Evaluate(account["properties"])!;

        // Assert
        Assert.Equal(false, properties["allowSharedKeyAccess"]);
        Assert.Equal(false, properties["allowBlobPublicAccess"]);
        Assert.Equal("TLS1_2", properties["minimumTlsVersion"]);
        Assert.DoesNotContain("listKeys(", (await CompiledTemplate.JsonAsync()).ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Tables_EveryTableTheHubUses_IsCreatedWithThePrefix()
    {
        // Arrange: HubTables names each table; no request is made building the clients.
        var storage = (await CompiledTemplate.MainAsync()).Module("storage");
        var prefix = (string)storage.Parameter("storagePrefix")!;
        var hubTables = new HubTables(new TableServiceClient("UseDevelopmentStorage=true"), prefix).All.Select(t => t.Name);

        // Act
        var created = Strings(storage.Parameter("tables")).Select(t => prefix + t);

        // Assert
        Assert.Equal(hubTables.Order(StringComparer.Ordinal), created.Order(StringComparer.Ordinal));
        Assert.Single(storage.ResourcesOfType("Microsoft.Storage/storageAccounts/tableServices/tables"));
    }

    [Fact]
    public async Task Queues_EveryJobQueue_IsCreatedUnderTheNameItsSettingGives()
    {
        // Arrange
        var main = await CompiledTemplate.MainAsync();
        var settings = await CompiledTemplate.AppSettingsAsync(main);
        var prefix = (string)main.Module("storage").Parameter("storagePrefix")!;

        // Act
        var created = Strings(main.Module("storage").Parameter("queues"));

        // Assert: the enqueue side and the triggers read Jobs:Queues:*; the Server's default is {prefix}-{id}, kept alike.
        Assert.Equal(JobQueues.All.Count, created.Count);
        Assert.All(JobQueues.All, queue =>
        {
            var name = (string)settings[queue.NameSetting.Replace(":", "__", StringComparison.Ordinal)]!;
            Assert.Contains(name, created);
            Assert.Equal($"{prefix}-{queue.Id}", name);
        });
    }

    [Fact]
    public async Task Containers_EveryContainerTheHubUses_IsCreatedWithThePrefix()
    {
        // Arrange: the stores' container names. The lock container's name is private to
        // AzureServiceCollectionExtensions.LockContainer ({prefix}-locks), so it is spelt out here.
        var storage = (await CompiledTemplate.MainAsync()).Module("storage");
        var prefix = (string)storage.Parameter("storagePrefix")!;
        string[] used = [prefix + "-locks", TableWebhookEventStore.ContainerName(prefix), TableOutboundStore.ContainerName(prefix), BlobAuditCheckpointStore.ContainerName(prefix)];

        // Act
        var created = Strings(storage.Parameter("containers")).Select(c => $"{prefix}-{c}")
            .Append((string)storage.Evaluate(storage.Template["outputs"]!["auditCheckpointContainerName"]!["value"])!)
            .ToList();

        // Assert
        Assert.All(used, container => Assert.Contains(container, created));
    }

    [Fact]
    public async Task AuditCheckpoints_AreImmutableForAtLeastTheAuditRetention()
    {
        // Arrange
        var main = await CompiledTemplate.MainAsync();
        var storage = main.Module("storage");

        // Act
        var policy = storage.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies").Single();
        var properties = (Dictionary<string, object?>)storage.Evaluate(policy["properties"])!;

        // Assert: appends allowed (the sealer adds lines), nothing rewritten or deleted within the retention.
        Assert.Equal(true, properties["allowProtectedAppendWrites"]);
        Assert.True((long)properties["immutabilityPeriodSinceCreationInDays"]! >= (long)main.Parameter("auditRetentionDays")!);
        Assert.Contains("/" + BlobAuditCheckpointStore.ContainerName((string)storage.Parameter("storagePrefix")!) + "/", (string)storage.Evaluate(policy["name"])!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoragePrefix_IsTheOneTheAppIsGiven()
    {
        // Arrange
        var main = await CompiledTemplate.MainAsync(new Dictionary<string, object?>(CompiledTemplate.AzdParameters) { ["storagePrefix"] = "contoso" });

        // Act
        var settings = await CompiledTemplate.AppSettingsAsync(main);

        // Assert
        Assert.Equal("contoso", settings["Storage__Prefix"]);
        Assert.Equal("contoso", main.Module("storage").Parameter("storagePrefix"));
        Assert.All(Strings(main.Module("storage").Parameter("queues")), q => Assert.StartsWith("contoso-", q, StringComparison.Ordinal));
    }

    private static List<string> Strings(object? value) => [.. ((List<object?>)value!).Cast<string>()];
}
