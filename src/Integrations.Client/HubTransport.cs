using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Integrations.Client;

/// <summary>
/// Sends one API request: the API key as a bearer token, JSON in the hub's shape (snake_case), and an error answer turned
/// into the <see cref="IntegrationsHubException"/> for its status. The <see cref="HttpClient"/> comes from a factory so DI can
/// hand out IHttpClientFactory clients (rotated handlers) while the client itself, and its token cache, stays a singleton.
/// </summary>
internal sealed class HubTransport
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly Func<HttpClient> _http;
    private readonly Uri _baseAddress;
    private readonly string? _apiKey;

    /// <param name="apiKey">The bearer credential of every request; null: none (a client of the anonymous auth routes only).</param>
    public HubTransport(Func<HttpClient> http, Uri baseAddress, string? apiKey)
    {
        _http = http;
        // Relative paths resolve under the base's own path only when it ends with a slash (https://host/hub/ + v1/… → /hub/v1/…).
        _baseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _apiKey = apiKey;
    }

    /// <summary>A path from segments, each escaped (a secret name or id can never step outside its route).</summary>
    public static string Path(string format, params string[] segments)
    {
        var escaped = segments.Select(s => (object)Uri.EscapeDataString(s)).ToArray();
        return string.Format(CultureInfo.InvariantCulture, format, escaped);
    }

    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await SendRawAsync(method, path, body, configure, cancellationToken).ConfigureAwait(false);
        var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false);
        return value ?? throw new IntegrationsHubException($"The hub answered {(int)response.StatusCode} with an empty body where {typeof(T).Name} was expected.");
    }

    public async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await SendRawAsync(method, path, body, configure, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseAddress, path));
        if (_apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), JsonMediaType, Json);
        }

        configure?.Invoke(request);
        var response = await _http().SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The hub's address (ends with a slash); the proxy handler builds its request URIs below it.</summary>
    internal Uri BaseAddress => _baseAddress;

    /// <summary>
    /// Sends a request built by the proxy handler (Connections/ConnectionProxyHandler) with the API key, and returns the
    /// answer as soon as its headers are in (the body streams), whatever its status: the handler decides what it means.
    /// </summary>
    internal Task<HttpResponseMessage> SendStreamingAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        return _http().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    internal static async Task<IntegrationsHubException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        ProblemBody? body = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (text.Length > 0 && text.TrimStart().StartsWith('{'))
            {
                body = JsonSerializer.Deserialize<ProblemBody>(text, ProblemJson);
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's HTML page, say): the status alone describes it.
        }

        var traceId = body?.TraceId ?? (response.Headers.TryGetValues("traceparent", out var parents) ? parents.FirstOrDefault() : null);
        var problem = new HubProblem(body?.Type, body?.Title ?? response.ReasonPhrase, status, body?.Detail, body?.Code ?? CodeOf(body?.Type), body?.Field, traceId, body?.Instance);
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest => new HubValidationException(problem),
            HttpStatusCode.Unauthorized => new HubUnauthorizedException(problem),
            HttpStatusCode.Forbidden => new HubForbiddenException(problem),
            HttpStatusCode.NotFound => new HubNotFoundException(problem),
            HttpStatusCode.Conflict => new HubConflictException(problem),
            HttpStatusCode.PreconditionFailed => new HubPreconditionFailedException(problem),
            HttpStatusCode.RequestEntityTooLarge => new HubPayloadTooLargeException(problem),
            HttpStatusCode.TooManyRequests => new HubRateLimitedException(problem, RetryAfterOf(response)),
            _ => new IntegrationsHubException(problem),
        };
    }

    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web);

    private static string? CodeOf(string? type)
    {
        const string Prefix = "urn:integrations-hub:problem:";
        return type is not null && type.StartsWith(Prefix, StringComparison.Ordinal) ? type[Prefix.Length..] : null;
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        return retryAfter.Date is { } date && response.Headers.Date is { } now ? date - now : null;
    }

    private sealed record ProblemBody(
        string? Type, string? Title, int? Status, string? Detail, string? Instance, string? Code, string? Field,
        [property: JsonPropertyName("traceId")] string? TraceId);
}
