using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Integrations.Client.Tests.Connections;

/// <summary>
/// The API a connection points at, on loopback under <c>/up/</c>: it keeps every request as it arrived (method, raw target,
/// headers, body) and answers by path — <c>status/{code}</c> with that status (a 500 as the upstream's own problem details,
/// a 5xx with <c>Retry-After: 0</c>), <c>stream</c> with a first chunk and the rest only after <see cref="ReleaseStream"/>,
/// <c>hang</c> not until <see cref="ReleaseStream"/>, anything else 200 with a JSON body naming the path.
/// </summary>
public sealed class ProxyUpstream : LoopbackListener
{
    public const string UpstreamProblemType = "https://upstream.example/problems/boom";

    private readonly ConcurrentQueue<Seen> _seen = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProxyUpstream()
        : base("up/")
    {
    }

    /// <summary>The base URL to give a connection (no trailing slash).</summary>
    public string BaseUrl => Address.AbsoluteUri.TrimEnd('/');

    public IReadOnlyList<Seen> Requests => [.. _seen];

    public void ReleaseStream() => _release.TrySetResult();

    protected override Task HandleAsync(HttpListenerContext context)
    {
        // Served concurrently: a held stream must not hold up the next request.
        _ = Task.Run(() => AnswerAsync(context));
        return Task.CompletedTask;
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in request.Headers.AllKeys.OfType<string>())
        {
            headers[name] = string.Join(",", request.Headers.GetValues(name) ?? []);
        }

        var target = request.RawUrl ?? "";
        _seen.Enqueue(new Seen(request.HttpMethod, target, headers, Encoding.UTF8.GetString(body.ToArray())));
        var path = target.Split('?')[0];
        var response = context.Response;
        try
        {
            if (path.EndsWith("/stream", StringComparison.Ordinal) || path.EndsWith("/hang", StringComparison.Ordinal))
            {
                response.SendChunked = true;
                response.ContentType = "text/plain";
                if (path.EndsWith("/stream", StringComparison.Ordinal))
                {
                    await Write(response, "first|");
                    await response.OutputStream.FlushAsync();
                }

                await _release.Task.WaitAsync(TimeSpan.FromSeconds(30));
                await Write(response, "rest");
            }
            else if (path.Contains("/status/", StringComparison.Ordinal))
            {
                var status = int.Parse(path[(path.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                response.StatusCode = status;
                if (status >= 500)
                {
                    // The hub retries a 5xx; Retry-After keeps its backoff from slowing the tests.
                    response.Headers["Retry-After"] = "0";
                }

                response.ContentType = status == 500 ? "application/problem+json" : "application/json";
                await Write(response, status == 500
                    ? $$"""{"type":"{{UpstreamProblemType}}","title":"Upstream broke","status":500}"""
                    : $$"""{"upstream_status":{{status}}}""");
            }
            else
            {
                response.ContentType = "application/json";
                response.Headers["X-Upstream"] = "yes";
                await Write(response, $$"""{"path":"{{path}}","method":"{{request.HttpMethod}}"}""");
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or TimeoutException or ObjectDisposedException)
        {
            // The caller went away (a cancelled call) or the test ended.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    private static Task Write(HttpListenerResponse response, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return response.OutputStream.WriteAsync(bytes, 0, bytes.Length);
    }

    public sealed record Seen(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body);
}
