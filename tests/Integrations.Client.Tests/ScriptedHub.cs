using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Integrations.Client.Tests;

/// <summary>
/// A loopback HTTP server answering from a script, for the one thing the real hub cannot be made to do on demand: a 503
/// with <c>Retry-After</c>, or a 429 that clears a second later. Counts the requests it gets.
/// </summary>
public sealed class ScriptedHub : LoopbackListener
{
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _script = new();
    private int _requests;

    public ScriptedHub()
        : base("")
    {
    }

    public Uri BaseAddress => Address;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The <c>Authorization</c> header of each request, in order (null when absent).</summary>
    public ConcurrentQueue<string?> Authorizations { get; } = new();

    /// <summary>The next answers, in order; once the script is spent every answer is 200 with an empty list.</summary>
    public ScriptedHub Then(int status, string? retryAfter = null)
    {
        _script.Enqueue((status, retryAfter));
        return this;
    }

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        Authorizations.Enqueue(context.Request.Headers["Authorization"]);
        var (status, retryAfter) = _script.TryDequeue(out var next) ? next : (200, null);
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers["Retry-After"] = retryAfter;
        }

        var body = status == 200
            ? """{"data":[],"pagination":{"page":1,"per_page":20,"total":0,"total_pages":0}}"""
            : $$"""{"type":"urn:integrations-hub:problem:scripted","title":"Scripted","status":{{status}},"code":"scripted","traceId":"00-scripted-00"}""";
        context.Response.ContentType = status == 200 ? "application/json" : "application/problem+json";
        var bytes = Encoding.UTF8.GetBytes(body);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }
}
