using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Testing.OAuth;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 (Kestrel, port 0) whose answers the test scripts, for what a real authorization
/// server will not produce on demand: <c>slow_down</c>, <c>authorization_pending</c>, a 429 with <c>Retry-After</c>, a
/// 5xx, malformed or oversized JSON, a token response without <c>expires_in</c> or with a comma-separated scope, a
/// rotated refresh token, a JWKS that changes. Any path works; each path has a queue of scripted answers, then a
/// default (404 when none was set). Every request is recorded (method, path, headers, form) and counted.
/// </summary>
public sealed class ScriptedTokenEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedResponse>> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ScriptedResponse> _defaults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private ScriptedTokenEndpoint()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>http://127.0.0.1:{port}.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The token endpoint the scripts default to: {BaseUrl}/token.</summary>
    public Uri TokenEndpoint => Url("/token");

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public int RequestCount => _requests.Count;

    public static async Task<ScriptedTokenEndpoint> StartAsync()
    {
        var server = new ScriptedTokenEndpoint();
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address.TrimEnd('/'));
        return server;
    }

    public Uri Url(string path) => new(BaseUrl, path);

    /// <summary>Answers the next request to <paramref name="path"/> with <paramref name="responses"/>, in order.</summary>
    public ScriptedTokenEndpoint Enqueue(string path, params ScriptedResponse[] responses)
    {
        var queue = _queues.GetOrAdd(path, _ => new ConcurrentQueue<ScriptedResponse>());
        foreach (var response in responses)
        {
            queue.Enqueue(response);
        }

        return this;
    }

    /// <summary>Answers requests to the token endpoint with <paramref name="responses"/>, in order.</summary>
    public ScriptedTokenEndpoint Enqueue(params ScriptedResponse[] responses) => Enqueue("/token", responses);

    /// <summary>The answer to <paramref name="path"/> once its queue is empty.</summary>
    public ScriptedTokenEndpoint SetDefault(string path, ScriptedResponse response)
    {
        _defaults[path] = response;
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        IReadOnlyDictionary<string, string> form = new Dictionary<string, string>();
        if (request.HasFormContentType)
        {
            var read = await request.ReadFormAsync(context.RequestAborted);
            form = read.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
        }

        var path = request.Path.Value ?? "/";
        _requests.Enqueue(new RecordedRequest(
            request.Method, path, request.QueryString.Value ?? "",
            request.Headers.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.OrdinalIgnoreCase), form));

        var script = _queues.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next
            : _defaults.TryGetValue(path, out var fallback) ? fallback
            : new ScriptedResponse(404, """{"error":"not_scripted"}""");
        if (script.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(script.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = script.Status;
        foreach (var (name, value) in script.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (script.Body is not null)
        {
            context.Response.ContentType = script.ContentType;
            await context.Response.WriteAsync(script.Body, context.RequestAborted);
        }
    }
}

/// <summary>One scripted answer: status, body (with its content type), extra headers, and a delay before answering.</summary>
public sealed record ScriptedResponse(int Status, string? Body = null, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default)
{
    /// <summary>200 with <paramref name="body"/> serialized as JSON.</summary>
    public static ScriptedResponse Json(object body, int status = 200) => new(status, JsonSerializer.Serialize(body));

    /// <summary>A successful token response; null members are left out.</summary>
    public static ScriptedResponse Token(string accessToken = "scripted-access-token", int? expiresIn = 3600, string? refreshToken = null, string? scope = null, string tokenType = "Bearer", string? idToken = null)
    {
        var body = new Dictionary<string, object>(StringComparer.Ordinal) { ["access_token"] = accessToken, ["token_type"] = tokenType };
        if (expiresIn is { } seconds)
        {
            body["expires_in"] = seconds;
        }

        if (refreshToken is not null)
        {
            body["refresh_token"] = refreshToken;
        }

        if (scope is not null)
        {
            body["scope"] = scope;
        }

        if (idToken is not null)
        {
            body["id_token"] = idToken;
        }

        return Json(body);
    }

    /// <summary>An RFC 6749 §5.2 error (400 unless told), e.g. <c>invalid_grant</c>, <c>slow_down</c>, <c>authorization_pending</c>.</summary>
    public static ScriptedResponse OAuthError(string error, string? description = null, int status = 400) =>
        Json(description is null ? new Dictionary<string, string> { ["error"] = error } : new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, status);

    /// <summary>A status with no body, and optional headers (e.g. 429 with Retry-After).</summary>
    public static ScriptedResponse Empty(int status, params (string Name, string Value)[] headers) =>
        new(status, Headers: headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase));
}

/// <summary>What the scripted endpoint received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Form);
