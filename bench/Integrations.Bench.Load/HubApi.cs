using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Integrations.Bench.Load;

/// <summary>The few hub calls the benchmark needs to set itself up: an organization, a project, its secrets and sources.</summary>
internal sealed class HubApi(HttpClient http, Uri baseAddress)
{
    public async Task<(string OrganizationId, string ApiKey)> CreateOrganizationAsync(string adminKey, CancellationToken cancellationToken)
    {
        using var created = await SendAsync(HttpMethod.Post, "v1/orgs", adminKey, new { name = "Bench" }, cancellationToken).ConfigureAwait(false);
        return (created.RootElement.GetProperty("id").GetString()!, created.RootElement.GetProperty("api_key").GetString()!);
    }

    public async Task<string> CreateProjectAsync(string apiKey, CancellationToken cancellationToken)
    {
        using var created = await SendAsync(HttpMethod.Post, "v1/projects", apiKey, new { name = "bench" }, cancellationToken).ConfigureAwait(false);
        return created.RootElement.GetProperty("id").GetString()!;
    }

    public async Task CreateSecretAsync(string apiKey, string projectId, string name, string value, CancellationToken cancellationToken)
    {
        using var created = await SendAsync(HttpMethod.Post, $"v1/projects/{projectId}/secrets", apiKey, new { name, value }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A bearer connection (its token a vault secret) to <paramref name="baseUrl"/>; returns its id.</summary>
    public async Task<string> CreateProxyConnectionAsync(string apiKey, string projectId, Uri baseUrl, CancellationToken cancellationToken)
    {
        await CreateSecretAsync(apiKey, projectId, "bench-upstream-token", "bench-upstream-token-value", cancellationToken).ConfigureAwait(false);
        using var created = await SendAsync(HttpMethod.Post, $"v1/projects/{projectId}/connections", apiKey, new Dictionary<string, object>
        {
            ["name"] = "bench-upstream", ["type"] = "bearer", ["base_url"] = baseUrl.AbsoluteUri,
            ["secret_refs"] = new Dictionary<string, string> { ["token"] = "bench-upstream-token" },
        }, cancellationToken).ConfigureAwait(false);
        return created.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>A webhook source of scheme <c>stripe</c> with <paramref name="secret"/> as its signing secret; returns its id.</summary>
    public async Task<string> CreateWebhookSourceAsync(string apiKey, string projectId, string secret, CancellationToken cancellationToken)
    {
        using var created = await SendAsync(HttpMethod.Post, $"v1/projects/{projectId}/webhook-sources", apiKey,
            new { name = "bench-stripe", scheme = "stripe", secret }, cancellationToken).ConfigureAwait(false);
        return created.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>A webhook endpoint (every event type) at <paramref name="url"/>; returns its id.</summary>
    public async Task<string> CreateWebhookEndpointAsync(string apiKey, string projectId, Uri url, CancellationToken cancellationToken)
    {
        using var created = await SendAsync(HttpMethod.Post, $"v1/projects/{projectId}/webhook-endpoints", apiKey,
            new { url = url.AbsoluteUri, description = "bench receiver" }, cancellationToken).ConfigureAwait(false);
        return created.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>POSTs <paramref name="body"/> as JSON; the answer's JSON, or an exception naming the status.</summary>
    public Task<JsonDocument> PostAsync(string path, string bearer, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, bearer, body, cancellationToken);

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, string bearer, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseAddress, path)) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text)
            : throw new InvalidOperationException($"{method} /{path} answered {(int)response.StatusCode}: {text}");
    }
}
