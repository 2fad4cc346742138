using Integrations.Http.Client;

namespace Integrations.Http.OAuth;

/// <summary>
/// Lets Duende.IdentityModel's request extensions (which prepare a protocol request — client authentication, form body,
/// Accept header — and parse the answer) send through <see cref="OutboundHttpClient"/>: the SSRF guard, the circuit
/// per connection and the retry strategy apply to every OAuth call. The call's <see cref="OutboundResult"/> is kept
/// so the failure class (refused, open circuit, timeout …) is not lost in Duende's generic exception handling.
/// </summary>
internal sealed class OutboundBridge(OutboundHttpClient client, OutboundCallOptions options) : HttpMessageHandler
{
    /// <summary>The outbound call's result; null until a request was sent. The caller disposes it.</summary>
    public OutboundResult? Result { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var result = await client.SendAsync(request, options, cancellationToken).ConfigureAwait(false);
        Result = result;
        // A response (even 4xx/5xx) goes back to Duende, which reads OAuth's error JSON from it; no response means
        // nothing arrived (refused, circuit open, network, timeout): Duende turns the exception into an error response.
        return result.Response ?? throw new OutboundCallFailedException(result.Failure!.Reason);
    }
}

/// <summary>An outbound OAuth call ended without a response; <see cref="OutboundBridge.Result"/> says why.</summary>
internal sealed class OutboundCallFailedException : Exception
{
    public OutboundCallFailedException()
    {
    }

    public OutboundCallFailedException(string message)
        : base(message)
    {
    }

    public OutboundCallFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
