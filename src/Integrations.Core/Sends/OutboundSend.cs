namespace Integrations.Core.Sends;

/// <summary>
/// A direct send (<c>POST …/sends</c>) as stored: what it is, where it stands, and every attempt. What the request carries
/// (the full URL, headers and rendered body — any of which may hold a secret) is in <see cref="SealedRequest"/>, sealed by
/// the envelope cipher and bound to this send; the context is not kept at all (the condition and the template were
/// applied when the send was accepted).
/// </summary>
/// <param name="Id">The send id (<c>snd_…</c>).</param>
/// <param name="Method">POST, PUT or PATCH.</param>
/// <param name="Target">The receiver's scheme, host and port only (the path and query may carry a key).</param>
/// <param name="ConnectionId">The connection it goes through, or null for a URL.</param>
/// <param name="Retry">The retry policy it was accepted with.</param>
/// <param name="Timeout">Per attempt, up to the response headers.</param>
/// <param name="Reason">Why it failed for good (the last attempt's error, or a rule), or null.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while <see cref="SendState.Retrying"/> or <see cref="SendState.Pending"/>.</param>
/// <param name="SealedRequest">The sealed <see cref="SendPayload"/>.</param>
/// <param name="ETag">The stored row's ETag (an attempt is recorded only if nobody recorded it first).</param>
public sealed record OutboundSend(
    string Id,
    string OrganizationId,
    string ProjectId,
    SendMode Mode,
    string Method,
    string Target,
    string? ConnectionId,
    SendState State,
    SendRetry Retry,
    TimeSpan Timeout,
    IReadOnlyList<SendAttempt> Attempts,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextAttemptAt,
    byte[] SealedRequest,
    string? ETag = null)
{
    public const string IdPrefix = "snd";

    /// <summary>How much of a response body an attempt keeps.</summary>
    public const int MaxResponseBodyBytes = 4 * 1024;

    /// <summary>Whether the send has ended (delivered or failed).</summary>
    public bool IsFinished => State is SendState.Delivered or SendState.Failed;

    public override string ToString() => $"OutboundSend {{ Id = {Id}, State = {State}, Target = {Target}, Attempts = {Attempts.Count} }}";
}

/// <summary>What a send's attempts need and nobody may read: sealed into <see cref="OutboundSend.SealedRequest"/>.</summary>
/// <param name="Url">The full URL of a URL send; null through a connection.</param>
/// <param name="Path">Through a connection: the path below its base URL, as the caller gave it.</param>
/// <param name="Query">Through a connection: the query, without '?', or null.</param>
/// <param name="Headers">The caller's headers.</param>
/// <param name="Body">The rendered body as JSON text, or null.</param>
public sealed record SendPayload(string? Url, string? Path, string? Query, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body)
{
    public override string ToString() => "SendPayload { (redacted) }";
}
