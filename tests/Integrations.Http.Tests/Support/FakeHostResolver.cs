using System.Net;
using System.Net.Sockets;
using Integrations.Http.Guard;

namespace Integrations.Http.Tests.Support;

/// <summary>Maps names to addresses without DNS; an unknown name fails as DNS would. Counts lookups.</summary>
internal sealed class FakeHostResolver : IHostResolver
{
    private readonly Dictionary<string, IPAddress[]> _names = new(StringComparer.OrdinalIgnoreCase);
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    public FakeHostResolver Map(string name, params string[] addresses)
    {
        _names[name] = [.. addresses.Select(IPAddress.Parse)];
        return this;
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        return _names.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
