using System.Diagnostics.CodeAnalysis;

namespace Integrations.Http.Client;

/// <summary>
/// The end of an outbound call: a response (1xx–3xx; a redirect is returned, never followed), or a failure. A failure
/// that came from a response (4xx, 5xx) keeps it, so a caller can read an error body such as OAuth's
/// <c>{"error":"invalid_grant"}</c>. Bodies are already read into memory (within <c>OutboundHttp:MaxResponseBytes</c>).
/// Dispose it to release the response.
/// </summary>
public sealed class OutboundResult : IDisposable
{
    internal OutboundResult(HttpResponseMessage? response, OutboundFailure? failure, int attempts)
    {
        Response = response;
        Failure = failure;
        Attempts = attempts;
        IsSuccess = failure is null;
    }

    /// <summary>The last response received, if any.</summary>
    public HttpResponseMessage? Response { get; }

    /// <summary>Null on success.</summary>
    public OutboundFailure? Failure { get; }

    /// <summary>Attempts made, the first included.</summary>
    public int Attempts { get; }

    [MemberNotNullWhen(true, nameof(Response))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsSuccess { get; }

    public void Dispose() => Response?.Dispose();
}
