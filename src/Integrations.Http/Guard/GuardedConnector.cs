using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Integrations.Http.Guard;

/// <summary>
/// The outbound handler's <see cref="SocketsHttpHandler.ConnectCallback"/>: asks the guard about the host, then opens
/// the TCP connection to a vetted address itself — never to the name — so what was checked is what is dialled.
/// </summary>
internal sealed class GuardedConnector(SsrfGuard guard, ILogger logger)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var decision = await guard.DecideAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        if (decision.Reason is { } reason)
        {
            Log.TargetRefused(logger, decision.Host, endpoint.Port, reason);
            throw new OutboundRequestRefusedException(decision.Host, reason);
        }

        // The addresses in the resolver's order, one after another; the handler's ConnectTimeout bounds the whole loop.
        SocketException? lastFailure = null;
        foreach (var vetted in decision.Addresses)
        {
            var address = vetted.IsIPv4MappedToIPv6 ? vetted.MapToIPv4() : vetted;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                lastFailure = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw lastFailure ?? new SocketException((int)SocketError.HostNotFound);
    }
}
