using Integrations.Core.Common;
using Integrations.Core.Events;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Vault;

namespace Integrations.Azure.Tests.OutboundWebhooks;

/// <summary>
/// The directory the delivery hot path reads: warm calls read no storage, a change through the service on this instance
/// shows at once, a change elsewhere shows within the cache duration, and the hub's own disable writes conditionally and says so.
/// </summary>
public sealed class WebhookEndpointDirectoryTests : IAsyncLifetime
{
    private EndpointTestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await EndpointTestHub.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task ListSubscribed_MatchesFiltersOfEnabledEndpoints_AndAWarmCallReadsNoStorage()
    {
        var project = await _hub.ProjectAsync();
        var invoices = await _hub.CreateAsync(project, new WebhookEndpointInput("https://a.example.com/", EventTypes: ["invoice.*"]));
        var exact = await _hub.CreateAsync(project, new WebhookEndpointInput("https://b.example.com/", EventTypes: ["invoice.paid"]));
        var everything = await _hub.CreateAsync(project, new WebhookEndpointInput("https://c.example.com/"));
        await _hub.CreateAsync(project, new WebhookEndpointInput("https://d.example.com/", Enabled: false));
        await _hub.CreateAsync(project, new WebhookEndpointInput("https://e.example.com/", EventTypes: ["order.*"]));

        var paid = await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "invoice.paid");
        var reads = _hub.Store.Reads;
        var created = await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "invoice.item.created");
        var bare = await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "invoice");

        Assert.Equal(new[] { invoices.Id, exact.Id, everything.Id }.Order(), paid.Select(e => e.Id).Order());
        Assert.Equal(new[] { invoices.Id, everything.Id }.Order(), created.Select(e => e.Id).Order());
        Assert.Equal([everything.Id], bare.Select(e => e.Id));
        Assert.Equal(reads, _hub.Store.Reads);
    }

    [Fact]
    public async Task GetTarget_WarmCall_ReadsNeitherTheStoreNorTheVault()
    {
        var project = await _hub.ProjectAsync();
        var endpoint = await _hub.CreateAsync(project, new WebhookEndpointInput("https://a.example.com/"));
        var secret = await _hub.SecretOfAsync(endpoint, endpoint.Keys[0]);
        var first = await _hub.Directory.GetTargetAsync(project.OrganizationId, project.Id, endpoint.Id);
        var reads = _hub.Store.Reads;
        // The vault secret deleted behind the directory's back: a warm call cannot notice, because it does not read it.
        var location = new SecretLocation(project.OrganizationId, project.Id, endpoint.Keys[0].SecretName);
        Assert.True((await _hub.Vault.DeleteAsync(location, "test")).IsSuccess);

        var warm = await _hub.Directory.GetTargetAsync(project.OrganizationId, project.Id, endpoint.Id);

        Assert.Equal([secret], first!.Secrets);
        Assert.Equal([secret], warm!.Secrets);
        Assert.Equal(reads, _hub.Store.Reads);
        Assert.DoesNotContain(secret, warm.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeThroughTheService_ShowsAtOnce()
    {
        var project = await _hub.ProjectAsync();
        var endpoint = await _hub.CreateAsync(project, new WebhookEndpointInput("https://a.example.com/"));
        Assert.Single(await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x"));

        Assert.True((await _hub.Endpoints.PatchAsync(project, endpoint.Id, i => i with { Enabled = false })).IsSuccess);
        var afterDisable = await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x");
        var added = await _hub.CreateAsync(project, new WebhookEndpointInput("https://b.example.com/"));
        var afterCreate = await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x");
        Assert.True((await _hub.Endpoints.DeleteAsync(project, added.Id, "test")).IsSuccess);
        var afterDelete = await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x");

        Assert.Empty(afterDisable);
        Assert.Equal([added.Id], afterCreate.Select(e => e.Id));
        Assert.Empty(afterDelete);
        Assert.Null(await _hub.Directory.GetTargetAsync(project.OrganizationId, project.Id, added.Id));
    }

    [Fact]
    public async Task ChangeMadeElsewhere_ShowsAfterTheCacheDuration()
    {
        var project = await _hub.ProjectAsync();
        var endpoint = await _hub.CreateAsync(project, new WebhookEndpointInput("https://a.example.com/"));
        Assert.Single(await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x"));
        // Another instance disables it: written to storage, this instance's cache not told.
        var stored = await _hub.Store.Inner.GetAsync(project.OrganizationId, project.Id, endpoint.Id);
        Assert.Equal(WriteOutcome.Written, await _hub.Store.Inner.TryUpdateAsync(stored! with { Enabled = false }));

        var within = await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x");
        _hub.Time.Advance(TimeSpan.FromSeconds(5));
        var after = await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x");

        Assert.Single(within);
        Assert.Empty(after);
    }

    [Fact]
    public async Task GetTarget_DuringARotationsOverlap_BothSecretsSignNewestFirst_ThenOnlyTheNew()
    {
        var project = await _hub.ProjectAsync();
        var endpoint = await _hub.CreateAsync(project, new WebhookEndpointInput("https://a.example.com/"));
        var old = await _hub.SecretOfAsync(endpoint, endpoint.Keys[0]);
        Assert.Equal([old], (await _hub.Directory.GetTargetAsync(project.OrganizationId, project.Id, endpoint.Id))!.Secrets);

        var rotated = (await _hub.Endpoints.RotateAsync(project, endpoint.Id, "test")).Value!;
        var fresh = await _hub.SecretOfAsync(rotated, rotated.Keys[0]);
        var during = await _hub.Directory.GetTargetAsync(project.OrganizationId, project.Id, endpoint.Id);
        _hub.Time.Advance(TimeSpan.FromHours(24));
        var after = await _hub.Directory.GetTargetAsync(project.OrganizationId, project.Id, endpoint.Id);

        Assert.Equal(["k2", "k1"], rotated.Keys.Select(k => k.Id));
        Assert.Equal([fresh, old], during!.Secrets);
        Assert.Equal([fresh], after!.Secrets);
    }

    [Fact]
    public async Task Disable_WritesTheReason_AppendsAnEvent_AndOnlyOnce()
    {
        var project = await _hub.ProjectAsync();
        var endpoint = await _hub.CreateAsync(project, new WebhookEndpointInput("https://a.example.com/"));
        Assert.Single(await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x"));

        var first = await _hub.Directory.DisableAsync(project.OrganizationId, project.Id, endpoint.Id, "the receiver answered 410 Gone");
        var second = await _hub.Directory.DisableAsync(project.OrganizationId, project.Id, endpoint.Id, "the receiver answered 410 Gone");
        var read = (await _hub.Endpoints.GetAsync(project, endpoint.Id)).Value!;
        var events = await _hub.Outbox.ListAsync(project.OrganizationId, project.Id, new ActivityQuery(new PageRequest(1, 10), HubEventTypes.EndpointDisabled));

        Assert.True(first);
        Assert.False(second);
        Assert.Empty(await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x"));
        Assert.Equal((false, "the receiver answered 410 Gone"), (read.Enabled, read.DisabledReason));
        var disabled = Assert.Single(events.Items);
        Assert.Equal(endpoint.Id, disabled.Data["endpoint_id"]);
        Assert.Equal("the receiver answered 410 Gone", disabled.Data["reason"]);
        Assert.False(await _hub.Directory.DisableAsync(project.OrganizationId, project.Id, "whe_aaaaaaaaaaaaaaaaaaaa", "gone"));
    }

    [Fact]
    public async Task ReEnabledByTheUser_ClearsTheHubsReason()
    {
        var project = await _hub.ProjectAsync();
        var endpoint = await _hub.CreateAsync(project, new WebhookEndpointInput("https://a.example.com/"));
        Assert.True(await _hub.Directory.DisableAsync(project.OrganizationId, project.Id, endpoint.Id, "failing for 5 days"));

        var described = (await _hub.Endpoints.PatchAsync(project, endpoint.Id, i => i with { Description = "still off" })).Value!;
        var enabled = (await _hub.Endpoints.PatchAsync(project, endpoint.Id, i => i with { Enabled = true })).Value!;

        Assert.Equal((false, "failing for 5 days"), (described.Enabled, described.DisabledReason));
        Assert.Equal((true, (string?)null), (enabled.Enabled, enabled.DisabledReason));
        Assert.Single(await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x"));
    }

    [Fact]
    public async Task Rotate_AfterTheOverlap_DropsTheExpiredKeyAndItsVaultSecret()
    {
        var project = await _hub.ProjectAsync();
        var endpoint = await _hub.CreateAsync(project, new WebhookEndpointInput("https://a.example.com/"));
        Assert.True((await _hub.Endpoints.RotateAsync(project, endpoint.Id, "test")).IsSuccess);
        _hub.Time.Advance(TimeSpan.FromHours(25));

        var third = (await _hub.Endpoints.RotateAsync(project, endpoint.Id, "test")).Value!;
        var names = await _hub.WebhookSecretNamesAsync(project);

        Assert.Equal(["k3", "k2"], third.Keys.Select(k => k.Id));
        Assert.Equal(third.Keys.Select(k => k.SecretName).Order(), names.Order());
        Assert.True((await _hub.Endpoints.DeleteAsync(project, endpoint.Id, "test")).IsSuccess);
        Assert.Empty(await _hub.WebhookSecretNamesAsync(project));
    }
}

/// <summary>With the cache off (<c>Webhooks:EndpointCacheDuration</c> = 0), every call reads storage.</summary>
public sealed class WebhookEndpointDirectoryNoCacheTests : IAsyncLifetime
{
    private EndpointTestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await EndpointTestHub.StartAsync(new Dictionary<string, string?> { ["Webhooks:EndpointCacheDuration"] = "00:00:00" });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task ListSubscribed_CacheOff_ReadsEveryTime()
    {
        var project = await _hub.ProjectAsync();
        await _hub.CreateAsync(project, new WebhookEndpointInput("https://a.example.com/"));
        var reads = _hub.Store.Reads;

        await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x");
        await _hub.Directory.ListSubscribedAsync(project.OrganizationId, project.Id, "x");

        Assert.Equal(reads + 2, _hub.Store.Reads);
    }
}
