namespace Integrations.Http.Guard;

/// <summary>
/// Keeps every outbound request on HTTP/1.1 or HTTP/2. HTTP/3 runs over QUIC, which SocketsHttpHandler opens without
/// calling <see cref="SocketsHttpHandler.ConnectCallback"/>: a request asking for it (or allowed to upgrade to it via
/// Alt-Svc) would pass the SSRF guard by.
/// </summary>
internal sealed class HttpVersionCapHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Version >= System.Net.HttpVersion.Version30)
        {
            request.Version = System.Net.HttpVersion.Version20;
        }

        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        return base.SendAsync(request, cancellationToken);
    }
}
