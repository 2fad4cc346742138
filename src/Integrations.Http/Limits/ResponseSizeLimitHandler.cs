namespace Integrations.Http.Limits;

/// <summary>
/// Caps every response body of the outbound clients: a declared Content-Length over the cap is refused at once, and
/// any other body is wrapped so that reading past the cap fails — buffered reads and streamed reads alike, and after
/// decompression (the primary handler decompresses), so a small gzip body cannot expand without bound.
/// </summary>
internal sealed class ResponseSizeLimitHandler(long maxBytes) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
        {
            response.Dispose();
            throw new OutboundResponseTooLargeException(maxBytes, length);
        }

        response.Content = new SizeLimitedContent(response.Content, maxBytes);
        return response;
    }
}
