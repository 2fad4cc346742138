using Integrations.Core.Webhooks;

namespace Integrations.Azure.Tests.Webhooks;

/// <summary>The ingress's view of sources: keys as accepted at the receive time, the per-instance cache and how changes reach it.</summary>
public sealed class WebhookSourceResolverTests : IAsyncLifetime
{
    private const string SecondSecret = "whsec_c2Vjb25kIHNlY3JldCBmb3IgdGhlIHJvbGw=";

    private readonly string _rootKey = HubServices.NewRootKey();

    private WebhookTestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await WebhookTestHub.StartAsync(rootKey: _rootKey);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Resolve_EnabledSource_HasItsUnsealedKeys()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);

        var resolved = await _hub.Resolver.ResolveAsync(source.Id);

        Assert.Equal(source.Id, resolved!.Source.Id);
        var key = Assert.Single(resolved.Keys);
        Assert.Equal((source.Keys[0].Id, WebhookTestHub.StandardSecret, null), (key.Id, key.Value, key.NotAfter));
        Assert.DoesNotContain(WebhookTestHub.StandardSecret, resolved.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_SignatureMadeWithARetiredSecretAfterItsOverlap_HasNoKeyToVerifyIt()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);
        var rolledAt = _hub.Time.GetUtcNow();
        Assert.True((await _hub.Sources.AddSecretAsync(project, source.Id, new WebhookSecretInput(SecondSecret, ExpirePreviousInSeconds: 300), "test")).IsSuccess);

        var inOverlap = await _hub.Resolver.ResolveAsync(source.Id, rolledAt.AddSeconds(299));
        var afterOverlap = await _hub.Resolver.ResolveAsync(source.Id, rolledAt.AddSeconds(300));
        _hub.Time.Advance(TimeSpan.FromSeconds(301));
        var later = await _hub.Resolver.ResolveAsync(source.Id);

        Assert.Equal([SecondSecret, WebhookTestHub.StandardSecret], inOverlap!.Keys.Select(k => k.Value));
        Assert.Equal([SecondSecret], afterOverlap!.Keys.Select(k => k.Value));
        Assert.Equal([SecondSecret], later!.Keys.Select(k => k.Value));
    }

    [Fact]
    public async Task Resolve_ChangesThroughThisInstance_AreSeenAtOnce()
    {
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);
        Assert.NotNull(await _hub.Resolver.ResolveAsync(source.Id)); // Cached from here on.

        await _hub.Sources.AddSecretAsync(project, source.Id, new WebhookSecretInput(SecondSecret, ExpirePreviousInSeconds: 0), "test");
        var rolled = await _hub.Resolver.ResolveAsync(source.Id);
        await _hub.Sources.PatchAsync(project, source.Id, i => i with { Enabled = false });
        var disabled = await _hub.Resolver.ResolveAsync(source.Id);
        await _hub.Sources.PatchAsync(project, source.Id, i => i with { Enabled = true });
        var enabled = await _hub.Resolver.ResolveAsync(source.Id);
        await _hub.Sources.DeleteAsync(project, source.Id, "test");
        var deleted = await _hub.Resolver.ResolveAsync(source.Id);

        Assert.Equal([SecondSecret], rolled!.Keys.Select(k => k.Value));
        Assert.Null(disabled);
        Assert.NotNull(enabled);
        Assert.Null(deleted);
    }

    [Fact]
    public async Task Resolve_ChangeMadeByAnotherInstance_IsSeenWithinTheCacheDuration()
    {
        await using var other = await WebhookTestHub.StartAsync(_hub.Services.Prefix, _rootKey);
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);
        Assert.NotNull(await other.Resolver.ResolveAsync(source.Id));

        await _hub.Sources.PatchAsync(project, source.Id, i => i with { Enabled = false });
        var stillCached = await other.Resolver.ResolveAsync(source.Id);
        other.Time.Advance(TimeSpan.FromSeconds(30));
        var expired = await other.Resolver.ResolveAsync(source.Id);

        Assert.NotNull(stillCached);
        Assert.Null(expired);
    }

    [Fact]
    public async Task Resolve_WithTheCacheOff_SeesAnotherInstancesChangeAtOnce()
    {
        await using var other = await WebhookTestHub.StartAsync(_hub.Services.Prefix, _rootKey,
            new Dictionary<string, string?> { ["Webhooks:SourceCacheDuration"] = "00:00:00" });
        var project = await _hub.ProjectAsync();
        var source = await _hub.StandardAsync(project);
        Assert.NotNull(await other.Resolver.ResolveAsync(source.Id));

        await _hub.Sources.DeleteAsync(project, source.Id, "test");

        Assert.Null(await other.Resolver.ResolveAsync(source.Id));
    }

    [Theory]
    [InlineData("whs_aaaaaaaaaaaaaaaaaaaa")]
    [InlineData("not-an-id")]
    [InlineData("")]
    public async Task Resolve_UnknownOrIllFormedId_IsNull(string sourceId) => Assert.Null(await _hub.Resolver.ResolveAsync(sourceId));

    [Fact]
    public async Task Sniff_PicksTheProjectsOneSourceOfTheRecognisedScheme()
    {
        var project = await _hub.ProjectAsync();
        var elsewhere = await _hub.ProjectAsync("Other");
        var stripe = await _hub.CreateAsync(project, new WebhookSourceInput("payments", "stripe", Secret: "whsec_stripe_dashboard_secret"));
        await _hub.CreateAsync(project, new WebhookSourceInput("code", "github", Secret: "gh-secret"));
        await _hub.CreateAsync(elsewhere, new WebhookSourceInput("payments", "stripe", Secret: "whsec_stripe_dashboard_secret"));
        var sniffer = _hub.Services.Get<WebhookSourceSniffer>();

        var found = await sniffer.SniffAsync(project.Id, Headers("Stripe-Signature"));
        var unknown = await sniffer.SniffAsync(project.Id, Headers("X-Slack-Signature"));
        await _hub.CreateAsync(project, new WebhookSourceInput("payments-2", "stripe", Secret: "whsec_stripe_dashboard_secret"));
        var ambiguous = await sniffer.SniffAsync(project.Id, Headers("Stripe-Signature"));
        var noProject = await sniffer.SniffAsync("prj_aaaaaaaaaaaaaaaaaaaa", Headers("Stripe-Signature"));

        Assert.Equal(stripe.Id, found.Source?.Id);
        Assert.Equal(WebhookSniffFailure.Unknown, unknown.Failure);
        Assert.Equal(WebhookSniffFailure.Ambiguous, ambiguous.Failure);
        Assert.Equal(WebhookSniffFailure.Unknown, noProject.Failure);
    }

    private static WebhookHeaders Headers(params string[] names) => new(names.Select(n => KeyValuePair.Create(n, new[] { "t=1,v1=00" })));
}
