using System.Net;

namespace Integrations.Http.Guard;

/// <summary>
/// What the SSRF guard decided for a host: the addresses it resolved to and, when refused, why. An allowed decision's
/// <see cref="Addresses"/> are the only addresses a connection may then be opened to.
/// </summary>
public sealed class GuardDecision
{
    private GuardDecision(string host, IReadOnlyList<IPAddress> addresses, string? reason)
    {
        Host = host;
        Addresses = addresses;
        Reason = reason;
    }

    /// <summary>The host as asked (brackets and a URI's %25 zone escape removed).</summary>
    public string Host { get; }

    /// <summary>The addresses the host is or resolved to, in the resolver's order.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>Null when allowed; otherwise a sentence such as "address 10.0.0.1 is in a private range (10.0.0.0/8)".</summary>
    public string? Reason { get; }

    public bool IsAllowed => Reason is null;

    internal static GuardDecision Allow(string host, IReadOnlyList<IPAddress> addresses) => new(host, addresses, null);

    internal static GuardDecision Refuse(string host, IReadOnlyList<IPAddress> addresses, string reason) => new(host, addresses, reason);

    public override string ToString() => IsAllowed ? $"{Host}: allowed ({string.Join(", ", Addresses)})" : $"{Host}: refused, {Reason}";
}
