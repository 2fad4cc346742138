using System.Net;

namespace Integrations.Http.Guard;

/// <summary>
/// Turns a host name into the addresses the guard vets and then connects to. Production uses DNS; tests map names to
/// addresses without it, so a refusal of an off-loopback address can be asserted without ever opening a socket.
/// </summary>
public interface IHostResolver
{
    /// <summary>Resolves <paramref name="host"/> (a name, never an address literal).</summary>
    /// <returns>At least one address.</returns>
    /// <exception cref="System.Net.Sockets.SocketException">The name does not resolve.</exception>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken = default);
}
