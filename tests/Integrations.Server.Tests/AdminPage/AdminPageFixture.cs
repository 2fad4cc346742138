using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Integrations.Testing;
using Integrations.Testing.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Integrations.Server.Tests.AdminPage;

/// <summary>
/// The built Server as a process on a loopback port chosen up front (so <c>Hub:PublicBaseUrl</c> and the OAuth server's
/// registered redirect URI can name it), in Development (plain-http loopback providers and receivers), with the outbound
/// guard open to 127.0.0.0/8; a real OpenIddict server on loopback; a receiver that answers 200 to everything and
/// records it; and headless Chromium (Debian's, through Playwright's ExecutablePath). One organization with a project
/// holds what the tests look at.
/// </summary>
public sealed class AdminPageFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium package; Playwright's own browser download cannot run on these machines.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How long a browser wait may take: generous, because the machine is shared and loaded.</summary>
    public const float WaitMilliseconds = 60_000;

    private ServerProcess? _server;
    private WebApplication? _receiver;
    private IPlaywright? _playwright;

    public Uri HubBase { get; private set; } = null!;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };

    public OpenIddictTestServer Idp { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Requests the receiver got: path and body.</summary>
    public ConcurrentQueue<(string Path, string Body)> Received { get; } = new();

    public Uri ReceiverBase { get; private set; } = null!;

    /// <summary>The organization's owner key (every scope).</summary>
    public string ApiKey { get; private set; } = "";

    public string ProjectId { get; private set; } = "";

    public string ProviderId { get; private set; } = "";

    /// <summary>What the Server printed, to explain a failure.</summary>
    public string ServerOutput => _server?.Output ?? "";

    /// <summary>Where screenshots go: artifacts/ below the test assembly's folder (bin/&lt;configuration&gt;/&lt;tfm&gt;/artifacts/).</summary>
    public static string ArtifactsDirectory => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteInstance.Shared;
        ReceiverBase = await StartReceiverAsync();

        var port = FreePort();
        HubBase = new Uri($"http://127.0.0.1:{port}/");
        Idp = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions { RedirectUris = [new Uri(HubBase, "v1/oauth/callback")] });

        var settings = new HubTestSettings(azurite.ConnectionString).Build();
        var adminKey = settings["Hub:AdminKey"]!;
        // Kestrel's endpoint configuration wins over the --urls ServerProcess passes: the port is known before the start.
        settings["Kestrel:Endpoints:Http:Url"] = HubBase.AbsoluteUri.TrimEnd('/');
        settings["Hub:PublicBaseUrl"] = HubBase.AbsoluteUri.TrimEnd('/');
        settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.0/8";
        settings["Webhooks:RetrySchedule"] = "0s,1s,2s";
        settings["RateLimits:PerCredentialPerMinute"] = "100000";
        settings["Logging:LogLevel:Default"] = "Warning";
        // Cheap Argon2id for the sign-up and login a test makes; the per-source auth limit out of the way.
        settings["Auth:PasswordHashing:MemoryKiB"] = "7168";
        settings["Auth:PasswordHashing:Iterations"] = "5";
        settings["RateLimits:Policies:auth"] = "1000";
        _server = await ServerProcess.StartAsync(settings, "Development");
        await _server.WaitUntilReadyAsync(Http);

        var org = await SendAsync(HttpMethod.Post, "v1/orgs", adminKey, new { name = "Admin page" }, HttpStatusCode.Created);
        ApiKey = (string)org["api_key"]!;
        ProjectId = (string)(await SendAsync(HttpMethod.Post, "v1/projects", ApiKey, new { name = "payments" }, HttpStatusCode.Created))["id"]!;
        ProviderId = (string)(await SendAsync(HttpMethod.Post, Project("providers"), ApiKey, new
        {
            name = "idp",
            issuer = Idp.Issuer.AbsoluteUri,
            client_id = OpenIddictTestServer.ClientId,
            client_secret = OpenIddictTestServer.ClientSecret,
        }, HttpStatusCode.Created))["id"]!;

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Chromium's sandbox refuses to run as root (as tests do in CI here); --disable-dev-shm-usage: /dev/shm is small in containers.
            Args = Environment.IsPrivilegedProcess ? ["--no-sandbox", "--disable-dev-shm-usage"] : ["--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Idp is not null)
        {
            await Idp.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        Http.Dispose();
    }

    /// <summary>A path below the fixture's project: <c>v1/projects/{id}/{rest}</c>.</summary>
    public string Project(string rest) => $"v1/projects/{ProjectId}/{rest}";

    /// <summary>A page in a fresh browser context (no cookies or storage from another test), with generous waits.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = HubBase.AbsoluteUri, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(WaitMilliseconds);
        return await context.NewPageAsync();
    }

    /// <summary>Opens /admin and signs in with <paramref name="key"/>; returns once the project's connections are listed.</summary>
    public async Task<IPage> SignedInPageAsync(string? key = null)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/admin");
        await page.WaitForSelectorAsync("body[data-ready='true']");
        await page.FillAsync("#api-key", key ?? ApiKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await page.WaitForSelectorAsync("#connection-list > *");
        return page;
    }

    public async Task<JsonNode> SendAsync(HttpMethod method, string path, string bearer, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, new Uri(HubBase, path)) { Content = body is null ? null : JsonContent.Create(body) };
        if (bearer.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} /{path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Waits (polling, up to a minute) until <paramref name="condition"/> holds.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), $"Not within a minute: {what}");
    }

    /// <summary>Waits (polling, up to a minute) until <paramref name="condition"/> holds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Not within a minute: {what}");
    }

    private async Task<Uri> StartReceiverAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _receiver = builder.Build();
        _receiver.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            Received.Enqueue((context.Request.Path.Value ?? "", await reader.ReadToEndAsync(context.RequestAborted)));
            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.WriteAsync("{\"ok\":true}", context.RequestAborted);
        });
        await _receiver.StartAsync();
        var address = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(address.TrimEnd('/') + "/");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class AdminPageGroup : ICollectionFixture<AdminPageFixture>
{
    public const string Name = "Admin page";
}
