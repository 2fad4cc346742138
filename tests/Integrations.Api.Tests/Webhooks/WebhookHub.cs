using Azure.Storage.Queues;
using Integrations.Azure.Queues;
using Integrations.Core.Webhooks;
using Integrations.Testing.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Tests.Webhooks;

/// <summary>
/// The Server with a test signature scheme registered (the providers' schemes are tested on their own) and the project
/// queues reachable through a switch: <see cref="QueueDown"/> points them at a closed loopback port, as a queue service
/// that is down would be.
/// </summary>
public sealed class WebhookHub : IAsyncLifetime, IDisposable
{
    public HubFixture Hub { get; } = new();

    public bool QueueDown
    {
        get => Publisher.Down;
        set => Publisher.Down = value;
    }

    private SwitchablePublisher Publisher => Hub.Services.GetRequiredService<SwitchablePublisher>();

    public async Task InitializeAsync()
    {
        Hub.Settings["Webhooks:DuplicateWait"] = "00:00:05";
        Hub.ConfigureServices = services =>
        {
            services.AddSingleton<IWebhookScheme, TestWebhookScheme>();
            services.AddSingleton(sp => new SwitchablePublisher(
                new StorageWebhookEventPublisher(sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<IOptions<WebhookOptions>>()),
                new StorageWebhookEventPublisher(ClosedPortQueues(), sp.GetRequiredService<IOptions<WebhookOptions>>())));
            services.Replace(ServiceDescriptor.Singleton<IWebhookEventPublisher>(sp => sp.GetRequiredService<SwitchablePublisher>()));
        };
        await Hub.InitializeAsync();
    }

    public Task DisposeAsync() => Hub.DisposeAsync();

    public void Dispose() => Hub.Dispose();

    // Port 9 (discard) on loopback: nothing listens, so every call is refused at connect; retries kept short.
    private static QueueServiceClient ClosedPortQueues()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);
        return new QueueServiceClient(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;",
            options);
    }

    /// <summary>The real publisher, or the same over a closed port.</summary>
    public sealed class SwitchablePublisher(IWebhookEventPublisher up, IWebhookEventPublisher down) : IWebhookEventPublisher
    {
        private volatile bool _down;

        public bool Down
        {
            get => _down;
            set => _down = value;
        }

        public Task EnqueueAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken = default) =>
            (Down ? down : up).EnqueueAsync(webhookEvent, cancellationToken);
    }
}
