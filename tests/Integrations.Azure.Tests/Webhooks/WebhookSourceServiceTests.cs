using Integrations.Core.Common;
using Integrations.Core.Vault;
using Integrations.Core.Webhooks;

namespace Integrations.Azure.Tests.Webhooks;

/// <summary>Sources and their secrets over real storage and the real vault: secrets live and die with their keys.</summary>
public sealed class WebhookSourceServiceTests : IAsyncLifetime
{
    private WebhookTestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await WebhookTestHub.StartAsync(settings: new Dictionary<string, string?> { ["Webhooks:MaxSourcesPerProject"] = "3" });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Create_GeneratedSecret_IsReturnedOnce_AndSealedUnderTheHubManagedName()
    {
        var project = await _hub.ProjectAsync();

        var created = await _hub.Sources.CreateAsync(project, new WebhookSourceInput("svix", "standard", GenerateSecret: true), "test");
        var read = await _hub.Sources.GetAsync(project, created.Value!.Source.Id);

        var key = Assert.Single(created.Value.Source.Keys);
        Assert.Equal(WebhookSourceService.SecretNameFor(created.Value.Source.Id, key.Id), key.SecretName);
        var stored = await _hub.Vault.RevealAsync(new SecretLocation(project.OrganizationId, project.Id, key.SecretName), null);
        Assert.Equal(created.Value.GeneratedSecret, stored.Value!.Value);
        Assert.StartsWith("whsec_", created.Value.GeneratedSecret, StringComparison.Ordinal);
        Assert.Equal(key, Assert.Single(read.Value!.Keys));
    }

    [Fact]
    public async Task Create_NameTaken_IsRefused_AndLeavesNoSecretBehind()
    {
        var project = await _hub.ProjectAsync();
        await _hub.StandardAsync(project, "dup");

        var second = await _hub.Sources.CreateAsync(project, new WebhookSourceInput("dup", "github", Secret: "another-secret"), "test");

        Assert.Equal(WebhookErrors.SourceExists, second.Error?.Code);
        Assert.Single(await _hub.WebhookSecretNamesAsync(project));
    }

    [Fact]
    public async Task Create_BadInput_WritesNothing()
    {
        var project = await _hub.ProjectAsync();

        var badSecret = await _hub.Sources.CreateAsync(project, new WebhookSourceInput("d", "discord", Secret: "not-a-public-key"), "test");
        var noHmac = await _hub.Sources.CreateAsync(project, new WebhookSourceInput("h", "hmac", Secret: "abc"), "test");

        Assert.Equal((WebhookErrors.InvalidSecret, WebhookErrors.HmacSettingsRequired), (badSecret.Error?.Code, noHmac.Error?.Code));
        Assert.Equal(0, (await _hub.Sources.ListAsync(project, PageRequest.Default)).Value!.Total);
        Assert.Empty(await _hub.WebhookSecretNamesAsync(project));
    }

    [Fact]
    public async Task Create_PastTheProjectsQuota_IsRefused()
    {
        var project = await _hub.ProjectAsync();
        for (var i = 0; i < 3; i++)
        {
            await _hub.StandardAsync(project, "s" + i);
        }

        var fourth = await _hub.Sources.CreateAsync(project, new WebhookSourceInput("s4", "standard", GenerateSecret: true), "test");

        Assert.Equal(WebhookErrors.SourceQuotaExceeded, fourth.Error?.Code);
        Assert.Equal(3, (await _hub.WebhookSecretNamesAsync(project)).Count);
    }

    [Fact]
    public async Task Delete_RemovesTheSourceAndPurgesItsSecrets()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);
        Assert.True((await _hub.Sources.AddSecretAsync(project, source.Id, new WebhookSecretInput(GenerateSecret: true), "test")).IsSuccess);
        Assert.Equal(2, (await _hub.WebhookSecretNamesAsync(project)).Count);

        var deleted = await _hub.Sources.DeleteAsync(project, source.Id, "test");

        Assert.True(deleted.IsSuccess);
        Assert.Empty(await _hub.WebhookSecretNamesAsync(project));
        Assert.Equal(ErrorKind.NotFound, (await _hub.Sources.GetAsync(project, source.Id)).Error?.Kind);
        Assert.Null(await _hub.Store.FindAsync(source.Id));
    }

    [Fact]
    public async Task AddSecret_OverlapsThePreviousKey_ThenDropsItAndPurgesItsSecret()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);
        var first = source.Keys[0];

        var rolled = await _hub.Sources.AddSecretAsync(project, source.Id, new WebhookSecretInput(ExpirePreviousInSeconds: 60, GenerateSecret: true), "test");
        _hub.Time.Advance(TimeSpan.FromSeconds(61));
        var again = await _hub.Sources.AddSecretAsync(project, source.Id, new WebhookSecretInput("whsec_dGhpcmQgc2VjcmV0IHZhbHVlIGZvciB0ZXN0cw=="), "test");

        Assert.Equal(2, rolled.Value!.Source.Keys.Count);
        Assert.Equal(_hub.Time.GetUtcNow() - TimeSpan.FromSeconds(1), rolled.Value.Source.Keys.Single(k => k.Id == first.Id).NotAfter);
        Assert.Null(again.Value!.GeneratedSecret);
        Assert.DoesNotContain(again.Value.Source.Keys, k => k.Id == first.Id);
        Assert.Equal(2, again.Value.Source.Keys.Count);
        Assert.DoesNotContain(first.SecretName, await _hub.WebhookSecretNamesAsync(project));
    }

    [Fact]
    public async Task AddSecret_ExpireAtOnce_LeavesOnlyTheNewKey()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);

        var added = await _hub.Sources.AddSecretAsync(project, source.Id, new WebhookSecretInput(GenerateSecret: true, ExpirePreviousInSeconds: 0), "test");

        var key = Assert.Single(added.Value!.Source.Keys);
        Assert.Null(key.NotAfter);
        Assert.Equal([key.SecretName], await _hub.WebhookSecretNamesAsync(project));
    }

    [Fact]
    public async Task AddSecret_SixthAcceptedKey_IsRefused_AndItsSecretRemoved()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await _hub.Sources.AddSecretAsync(project, source.Id, new WebhookSecretInput(GenerateSecret: true), "test")).IsSuccess);
        }

        var sixth = await _hub.Sources.AddSecretAsync(project, source.Id, new WebhookSecretInput(GenerateSecret: true), "test");

        Assert.Equal(WebhookErrors.SecretLimit, sixth.Error?.Code);
        Assert.Equal(5, (await _hub.Sources.GetAsync(project, source.Id)).Value!.Keys.Count);
        Assert.Equal(5, (await _hub.WebhookSecretNamesAsync(project)).Count);
    }

    [Fact]
    public async Task AddSecret_BadFormat_IsRefused_AndNothingChanges()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);

        var added = await _hub.Sources.AddSecretAsync(project, source.Id, new WebhookSecretInput("not-whsec"), "test");

        Assert.Equal(WebhookErrors.InvalidSecret, added.Error?.Code);
        Assert.Equal(source.Keys, (await _hub.Sources.GetAsync(project, source.Id)).Value!.Keys);
    }

    [Fact]
    public async Task Handshake_StoresAsanasFirstSecret_ButNeverReplacesIt()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.CreateAsync(project, new WebhookSourceInput("tasks", "asana"));
        Assert.Empty(source.Keys);
        Assert.Empty((await _hub.Resolver.ResolveAsync(source.Id))!.Keys);

        var stored = await _hub.Sources.StoreHandshakeSecretAsync(source, "asana-handshake-secret-1");
        var replaced = await _hub.Sources.StoreHandshakeSecretAsync(source, "attackers-handshake-secret");

        Assert.True(stored.IsSuccess);
        Assert.Equal(WebhookErrors.SecretExists, replaced.Error?.Code);
        var keys = (await _hub.Resolver.ResolveAsync(source.Id))!.Keys;
        Assert.Equal("asana-handshake-secret-1", Assert.Single(keys).Value);
        Assert.Single(await _hub.WebhookSecretNamesAsync(project));
    }

    [Fact]
    public async Task Patch_ChangesEditableFields_NotTheScheme()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);

        var patched = await _hub.Sources.PatchAsync(project, source.Id, i => i with { Description = "orders", Settings = i.Settings! with { ToleranceSeconds = 600 } });
        var scheme = await _hub.Sources.PatchAsync(project, source.Id, i => i with { Scheme = "github" });

        Assert.Equal(("orders", 600), (patched.Value!.Description, patched.Value.Settings.ToleranceSeconds));
        Assert.Equal(WebhookErrors.SchemeImmutable, scheme.Error?.Code);
        Assert.Equal(source.Keys, patched.Value.Keys);
    }
}
