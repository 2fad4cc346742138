using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Integrations.Client;
using Integrations.Client.Connections;
using Integrations.Client.Sample;
using Integrations.Client.Secrets;

// The Integrations Hub from C#: a project-scoped secret stored and revealed, a connection that injects it, a call through
// the hub's proxy with a plain HttpClient and, for an OAuth connection, its access token. Against ./run.sh:
//   INTEGRATIONS_HUB_API_KEY=<an organization key> dotnet run --project samples/Integrations.Client.Sample -- \
//     --upstream https://api.github.com --path zen
// Exit codes: 0 done, 1 the hub refused something (the typed exception's message is printed), 2 bad arguments.

const string ProjectName = "client-sample";
const string SecretName = "sample-upstream-token";

var settings = SampleSettings.Parse(args, Environment.GetEnvironmentVariable, out var usageError);
if (settings is null)
{
    Console.Error.WriteLine(usageError);
    Console.Error.WriteLine(SampleSettings.Usage);
    return 2;
}

try
{
    Console.WriteLine($"hub {settings.Hub}");
    using var hub = new IntegrationsHubClient(settings.Hub, settings.ApiKey);
    var projectId = settings.ProjectId ?? await FindOrCreateProjectAsync(settings.Hub, settings.ApiKey);
    Console.WriteLine($"project {projectId}");

    // A secret of the project: stored (a new version when it exists already), then revealed (needs secrets:reveal; audited).
    var value = settings.UpstreamToken ?? RandomNumberGenerator.GetHexString(32, lowercase: true);
    var secret = await StoreAsync(hub, projectId, SecretName, value);
    string revealed = await hub.Secrets.RevealAsync(projectId, SecretName);
    Console.WriteLine($"secret {secret.Name}: version {secret.Version}, revealed {revealed.Length} characters, same as stored: {(revealed == value ? "yes" : "NO")}");

    if (settings.Upstream is { } upstream)
    {
        // A bearer connection to the API, whose token is that secret: the hub injects it, the caller never holds it.
        var connection = await ConnectAsync(hub, projectId, upstream, SecretName);
        Console.WriteLine($"connection {connection.Name} ({connection.Id}): {connection.Type} to {connection.BaseUrl}, {connection.Status}");

        // A plain HttpClient whose calls go through the hub's proxy. The request's path and query go below the
        // connection's base_url; its host is not used (the connection decides where the call goes).
        using var api = new HttpClient(hub.Connections.CreateProxyHandler(projectId, connection.Id))
        {
            BaseAddress = new Uri(upstream.GetLeftPart(UriPartial.Authority) + "/"),
        };
        using var response = await api.GetAsync(settings.Path.TrimStart('/'));
        var body = await response.Content.ReadAsByteArrayAsync();
        var attempts = response.Headers.TryGetValues("X-Hub-Attempts", out var values) ? values.First() : "?";
        // The upstream's answer, whatever its status (a 401 of a made-up token included): only the hub's own problems throw.
        Console.WriteLine($"proxied GET {settings.Path}: {(int)response.StatusCode} {response.ReasonPhrase}, {body.Length} bytes, {attempts} attempt(s)");
    }
    else
    {
        Console.WriteLine("proxy: skipped (give --upstream URL to call an API through the hub)");
    }

    if (settings.TokenConnection is { } name)
    {
        // Cached until shortly before it expires; concurrent callers share one request to the hub.
        var token = await hub.Connections.GetTokenAsync(projectId, name);
        Console.WriteLine($"access token of {name}: {token.TokenType}, {token.AccessToken.Length} characters, expires {token.ExpiresAt:O}");
    }

    Console.WriteLine("done");
    return 0;
}
catch (IntegrationsHubException error)
{
    // Status, title, code, detail and trace id: never a secret.
    Console.Error.WriteLine(error.Message);
    return 1;
}
catch (HttpRequestException error)
{
    Console.Error.WriteLine($"the hub could not be reached or refused the call: {error.Message}");
    return 1;
}

static async Task<Secret> StoreAsync(IntegrationsHubClient hub, string projectId, string name, string value)
{
    try
    {
        return await hub.Secrets.CreateAsync(projectId, new NewSecret(name, value) { AuthType = "bearer", Tags = ["client-sample"] });
    }
    catch (HubConflictException)
    {
        return await hub.Secrets.UpdateAsync(projectId, name, value);
    }
}

static async Task<Connection> ConnectAsync(IntegrationsHubClient hub, string projectId, Uri upstream, string secretName)
{
    // One connection per upstream address, so running the sample again reuses it.
    var name = "sample-" + string.Concat(upstream.Authority.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-'));
    try
    {
        return await hub.Connections.CreateAsync(projectId, new NewConnection(name, "bearer")
        {
            BaseUrl = upstream.AbsoluteUri.TrimEnd('/'), SecretRefs = new Dictionary<string, string> { ["token"] = secretName },
        });
    }
    catch (HubConflictException)
    {
        return await hub.Connections.GetAsync(projectId, name);
    }
}

// The client has no projects API (an organization's projects are set up once, by people): plain HTTP here.
static async Task<string> FindOrCreateProjectAsync(Uri hubAddress, string apiKey)
{
    using var http = new HttpClient { BaseAddress = new Uri(hubAddress.AbsoluteUri.TrimEnd('/') + "/") };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    var projects = await http.GetFromJsonAsync<ProjectPage>("v1/projects?per_page=100");
    if (projects?.Data.FirstOrDefault(p => p.Name == ProjectName) is { } found)
    {
        return found.Id;
    }

    using var created = await http.PostAsJsonAsync("v1/projects", new { name = ProjectName });
    created.EnsureSuccessStatusCode();
    return (await created.Content.ReadFromJsonAsync<ProjectRef>())!.Id;
}

internal sealed record ProjectPage(IReadOnlyList<ProjectRef> Data);

internal sealed record ProjectRef(string Id, string Name);
