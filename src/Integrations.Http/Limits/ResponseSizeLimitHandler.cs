namespace Integrations.Http.Limits;

/// <summary>
/// Caps every response body of the outbound clients: a declared Content-Length over the cap is refused at once, and
/// any other body is wrapped so that reading past the cap fails — buffered reads and streamed reads alike, and after
/// decompression (the primary handler decompresses), so a small gzip body cannot expand without bound. A request may
/// carry a smaller cap of its own (<see cref="MaxBytesOption"/>).
/// </summary>
internal sealed class ResponseSizeLimitHandler(long globalMaxBytes) : DelegatingHandler
{
    /// <summary>A per-request cap (OutboundCallOptions.MaxResponseBytes); the smaller of it and the global cap applies.</summary>
    public static readonly HttpRequestOptionsKey<long> MaxBytesOption = new("Integrations.Http.MaxResponseBytes");

    /// <summary>The cap in force for <paramref name="request"/>.</summary>
    public static long EffectiveCap(HttpRequestMessage request, long globalCap) =>
        request.Options.TryGetValue(MaxBytesOption, out var perCall) ? Math.Min(globalCap, perCall) : globalCap;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var maxBytes = EffectiveCap(request, globalMaxBytes);
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
