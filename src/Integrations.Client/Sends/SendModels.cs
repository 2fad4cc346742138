using System.Text.Json;

namespace Integrations.Client.Sends;

/// <summary>
/// One outbound call for the hub to make: to a URL (<see cref="ToUrl"/>) or through a connection, its credential injected by the
/// hub (<see cref="ThroughConnection"/>). <c>{{placeholders}}</c> in the string values of <see cref="Body"/> are filled from
/// <see cref="Context"/>; <see cref="Condition"/> (an expression over the context) can skip the call. <see cref="ToString"/>
/// never shows the headers or the body.
/// </summary>
public sealed record NewSend
{
    private NewSend(Uri? url, string? connectionId, string? path)
    {
        Url = url;
        ConnectionId = connectionId;
        Path = path;
    }

    /// <summary>The receiver, for a call to a URL (absolute http(s), at most 2048 characters, no user info or fragment).</summary>
    public Uri? Url { get; }

    /// <summary>The connection to call through (<c>con_…</c>); the key also needs <c>connections:proxy</c>.</summary>
    public string? ConnectionId { get; }

    /// <summary>Through a connection: the path (and query) below its base URL.</summary>
    public string? Path { get; }

    /// <summary><c>POST</c> (default), <c>PUT</c> or <c>PATCH</c>.</summary>
    public string Method { get; init; } = "POST";

    /// <summary>Headers to send. Through a connection, not <c>Authorization</c> or <c>Cookie</c>: the credential is the connection's.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The JSON body; its strings may hold <c>{{name}}</c> or <c>{{a.b}}</c> placeholders filled from <see cref="Context"/>.</summary>
    public JsonElement? Body { get; init; }

    /// <summary>A JSON object: the values of the body's placeholders and of <see cref="Condition"/>.</summary>
    public JsonElement? Context { get; init; }

    /// <summary>An expression over the context's top-level members (<c>amount &gt; 100 &amp;&amp; status == 'paid'</c>); false: nothing is stored or sent.</summary>
    public string? Condition { get; init; }

    /// <summary>True: the hub answers at once (202) and makes the call from its queue; false (default): it answers with the first attempt's outcome.</summary>
    public bool FireAndForget { get; init; }

    /// <summary>One attempt's timeout, 1 to 30 s (hub default 8 s).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How failed attempts are retried (the hub's default when null).</summary>
    public SendRetryPolicy? RetryPolicy { get; init; }

    /// <summary>A call to <paramref name="url"/>.</summary>
    public static NewSend ToUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return new NewSend(url, null, null);
    }

    /// <summary>A call through the connection <paramref name="connectionId"/> to <paramref name="path"/> below its base URL.</summary>
    public static NewSend ThroughConnection(string connectionId, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        ArgumentNullException.ThrowIfNull(path);
        return new NewSend(null, connectionId, path);
    }

    /// <summary>Method and where it goes (a URL's scheme and host only); never headers or body.</summary>
    public override string ToString() =>
        $"NewSend {{ Method = {Method}, Target = {(Url is null ? ConnectionId : Url.GetLeftPart(UriPartial.Authority))}, FireAndForget = {FireAndForget} }}";
}

/// <summary>
/// How a send's failed attempts are retried: <see cref="Attempts"/> with a fixed <see cref="Backoff"/>, or a named
/// <see cref="Strategy"/> of the hub (<c>linear_1s</c> … <c>linear_4s</c>, <c>exponential_backoff</c>, <c>exponential_backoff_jitter</c>)
/// with at most its own attempts.
/// </summary>
public sealed record SendRetryPolicy
{
    /// <summary>The most attempts, 1 to 10 (with a strategy: at most the strategy's).</summary>
    public int? Attempts { get; init; }

    /// <summary>The wait between attempts, 0 to 60 s; not with <see cref="Strategy"/>.</summary>
    public TimeSpan? Backoff { get; init; }

    /// <summary>A named retry strategy of the hub.</summary>
    public string? Strategy { get; init; }
}

/// <summary>
/// What a send came to: <see cref="Skipped"/> (the condition was false), accepted for later (<see cref="Id"/> and
/// <see cref="Status"/> <c>pending</c>, fire-and-forget), or the send with its first attempt (<see cref="Send"/>, blocking).
/// </summary>
/// <param name="Skipped">True when the condition was false: nothing was stored or sent, and there is no id.</param>
/// <param name="Id">The send id (<c>snd_…</c>), unless skipped.</param>
/// <param name="Status"><c>pending</c>, <c>retrying</c>, <c>delivered</c> or <c>failed</c>, unless skipped.</param>
/// <param name="Send">A blocking send as it stands after its first attempt; null for fire-and-forget and skipped.</param>
public sealed record SendOutcome(bool Skipped, string? Id, string? Status, Send? Send);

/// <summary>A send as the hub shows it: where it stands and every attempt, never its path, query, headers or body.</summary>
/// <param name="Id">The send id (<c>snd_…</c>).</param>
/// <param name="Status"><c>pending</c>, <c>retrying</c>, <c>delivered</c> or <c>failed</c>.</param>
/// <param name="Mode"><c>blocking</c> or <c>fire-and-forget</c>.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">The receiver's scheme, host and port.</param>
/// <param name="ConnectionId">The connection it went through, if any.</param>
/// <param name="MaxAttempts">The most attempts it makes.</param>
/// <param name="Attempts">Every attempt so far.</param>
/// <param name="Reason">Why it failed, if it did.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while retrying.</param>
public sealed record Send(
    string Id, string Status, string Mode, string Method, string Target, string? ConnectionId, int MaxAttempts, IReadOnlyList<SendAttempt> Attempts,
    string? Reason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? NextAttemptAt);

/// <summary>One attempt of a send.</summary>
/// <param name="Number">The attempt's number, from 1.</param>
/// <param name="At">When it was made.</param>
/// <param name="StatusCode">The receiver's status, or null when no answer came (<see cref="Error"/> says why).</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="ResponseBody">The first 4 KiB of the answer.</param>
/// <param name="Error">Why no answer came, if none did.</param>
public sealed record SendAttempt(int Number, DateTimeOffset At, int? StatusCode, long DurationMs, string? ResponseBody, string? Error);
