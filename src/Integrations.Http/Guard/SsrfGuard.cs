using System.Net;
using System.Net.Sockets;

namespace Integrations.Http.Guard;

/// <summary>
/// The SSRF guard: resolves a host once and refuses it when any of its addresses is in a refused range
/// (<see cref="SpecialRanges"/>) that <c>OutboundHttp:AllowedNetworks</c> does not list. The outbound handler calls it
/// from <c>SocketsHttpHandler.ConnectCallback</c> and dials only the addresses it vetted, so a name whose DNS answer
/// changes between check and connect (DNS rebinding) cannot reach a refused address.
/// </summary>
/// <remarks>
/// A name that resolves to several addresses is refused when any one of them is refused, rather than connecting to
/// the allowed ones only: a public name with an internal address among its records is either misconfigured or an
/// attempt to get one request through, and which address "wins" must not depend on record order or retries.
/// </remarks>
public sealed class SsrfGuard
{
    private static readonly IPAddress[] LocalhostAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    private readonly NetworkPolicy _policy;
    private readonly IHostResolver _resolver;

    internal SsrfGuard(NetworkPolicy policy, IHostResolver resolver)
    {
        _policy = policy;
        _resolver = resolver;
    }

    /// <summary>Decides the host of <paramref name="uri"/> (its user info, path and query play no part).</summary>
    public Task<GuardDecision> DecideAsync(Uri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The URI must be absolute.", nameof(uri));
        }

        return DecideAsync(uri.IdnHost, cancellationToken);
    }

    /// <summary>Resolves <paramref name="host"/> (a name or an address literal in any spelling) and decides it.</summary>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public async Task<GuardDecision> DecideAsync(string host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        IPAddress[] addresses;
        switch (HostSpelling.Read(host, out var literal, out var normalized))
        {
            case HostSpelling.Kind.InvalidAddress:
                return GuardDecision.Refuse(normalized, [], $"host '{normalized}' is neither a valid IP address nor a host name");
            case HostSpelling.Kind.Address:
                addresses = [literal!];
                break;
            default:
                // RFC 6761 §6.3: localhost names are loopback and are not sent to DNS, whatever a resolver would say.
                addresses = HostSpelling.IsLocalhostName(normalized)
                    ? LocalhostAddresses
                    : await _resolver.ResolveAsync(normalized, cancellationToken).ConfigureAwait(false);
                if (addresses.Length == 0)
                {
                    throw new SocketException((int)SocketError.HostNotFound);
                }

                break;
        }

        foreach (var address in addresses)
        {
            if (_policy.Refusal(address) is { } reason)
            {
                return GuardDecision.Refuse(normalized, addresses, reason);
            }
        }

        return GuardDecision.Allow(normalized, addresses);
    }
}
