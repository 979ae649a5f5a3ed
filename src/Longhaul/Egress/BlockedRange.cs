using System.Net;

namespace Longhaul.Egress;

/// <summary>A network the egress guard refuses by default, with the name of its class for the refusal's reason.</summary>
internal sealed record BlockedRange(IPNetwork Network, string Class)
{
    public static BlockedRange Of(string cidr, string addressClass) => new(IPNetwork.Parse(cidr), addressClass);
}
