using System.Net;

namespace Integrations.Http.Guard;

/// <summary>A range the guard refuses, with the noun phrase its refusal uses ("a private range").</summary>
internal sealed record SpecialRange(IPNetwork Network, string Description)
{
    public SpecialRange(string cidr, string description)
        : this(CidrNotation.Parse(cidr), description)
    {
    }

    public string Describe(IPAddress address) => $"address {address} is in {Description} ({Network})";
}
