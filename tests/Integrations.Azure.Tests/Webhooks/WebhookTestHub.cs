using Integrations.Core.Tenancy;
using Integrations.Core.Vault;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Webhooks;

/// <summary>Hub services over Azurite with every scheme name, a clock the test drives, and helpers for sources.</summary>
internal sealed class WebhookTestHub : IAsyncDisposable
{
    public const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private WebhookTestHub(HubServices services, FakeTimeProvider time)
    {
        Services = services;
        Time = time;
    }

    public HubServices Services { get; }

    public FakeTimeProvider Time { get; }

    public WebhookSourceService Sources => Services.Get<WebhookSourceService>();

    public WebhookSourceResolver Resolver => Services.Get<WebhookSourceResolver>();

    public IWebhookSourceStore Store => Services.Get<IWebhookSourceStore>();

    public VaultService Vault => Services.Get<VaultService>();

    public static async Task<WebhookTestHub> StartAsync(string? prefix = null, string? rootKey = null, IDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var services = await HubServices.StartAsync(prefix, rootKey, settings, s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
        return new WebhookTestHub(services, time);
    }

    public async Task<Project> ProjectAsync(string organizationName = "Acme")
    {
        var (org, project) = await Services.CreateProjectAsync(organizationName);
        return await Services.ProjectAsync(org, project);
    }

    public async Task<WebhookSource> CreateAsync(Project project, WebhookSourceInput input)
    {
        var created = await Sources.CreateAsync(project, input, "test");
        Assert.True(created.IsSuccess, created.Error?.Message);
        return created.Value.Source;
    }

    public Task<WebhookSource> StandardAsync(Project project, string name = "svix") => CreateAsync(project, new WebhookSourceInput(name, "standard", Secret: StandardSecret));

    /// <summary>The names of the project's hub-managed webhook secrets in the vault (deleted ones too, until purged).</summary>
    public async Task<IReadOnlyList<string>> WebhookSecretNamesAsync(Project project)
    {
        var names = new List<string>();
        foreach (var deleted in new[] { false, true })
        {
            var listed = await Vault.ListAsync(project, new SecretQuery("webhook.", null, deleted, new Core.Common.PageRequest(1, 100)));
            names.AddRange(listed.Value!.Items.Select(s => s.Location.Name));
        }

        return names;
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
