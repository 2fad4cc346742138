using System.Net;

namespace Integrations.Http.Guard;

/// <summary>The system resolver. Its answer is vetted once and connected to as is, so a second lookup cannot differ.</summary>
internal sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken = default) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
