namespace Integrations.Http.Guard;

/// <summary>
/// The SSRF guard refused to connect: the target host is, or resolves to, an address in a refused range that
/// <c>OutboundHttp:AllowedNetworks</c> does not list. Never retried. The message names the host and the address, never
/// a path, a query or credentials (only the host reaches the guard).
/// </summary>
public sealed class OutboundRequestRefusedException : Exception
{
    public OutboundRequestRefusedException()
        : this("(unknown)", "the target was refused")
    {
    }

    public OutboundRequestRefusedException(string message)
        : this("(unknown)", message)
    {
    }

    public OutboundRequestRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Host = "(unknown)";
        Reason = message;
    }

    public OutboundRequestRefusedException(string host, string reason)
        : base($"Outbound request to '{host}' refused: {reason}. List the network in {Hosting.OutboundHttpOptions.SectionName}:AllowedNetworks to allow it.")
    {
        Host = host;
        Reason = reason;
    }

    /// <summary>The host as the request named it.</summary>
    public string Host { get; }

    /// <summary>Why, e.g. "address 10.0.0.1 is in a private range (10.0.0.0/8)".</summary>
    public string Reason { get; }
}
