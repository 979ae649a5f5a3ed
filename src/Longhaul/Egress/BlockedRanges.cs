using System.Buffers.Binary;
using System.Net;

namespace Longhaul.Egress;

/// <summary>
/// The address classes refused by default, and the IPv4 addresses an IPv6 address can carry: a destination that is
/// not a public unicast address is refused, whatever form it is written in.
/// </summary>
internal static class BlockedRanges
{
    // Most specific first: the first match names the class in the reason.
    public static readonly BlockedRange[] V4 =
    [
        BlockedRange.Of("169.254.169.254/32", "cloud metadata"),
        BlockedRange.Of("100.100.100.200/32", "cloud metadata"),
        BlockedRange.Of("255.255.255.255/32", "broadcast"),
        BlockedRange.Of("0.0.0.0/8", "unspecified (\"this network\")"),
        BlockedRange.Of("10.0.0.0/8", "private"),
        BlockedRange.Of("100.64.0.0/10", "carrier-grade NAT (shared)"),
        BlockedRange.Of("127.0.0.0/8", "loopback"),
        BlockedRange.Of("169.254.0.0/16", "link-local"),
        BlockedRange.Of("172.16.0.0/12", "private"),
        BlockedRange.Of("192.0.0.0/24", "IETF protocol assignments (reserved)"),
        BlockedRange.Of("192.0.2.0/24", "documentation"),
        BlockedRange.Of("192.88.99.0/24", "6to4 relay anycast (reserved)"),
        BlockedRange.Of("192.168.0.0/16", "private"),
        BlockedRange.Of("198.18.0.0/15", "benchmarking"),
        BlockedRange.Of("198.51.100.0/24", "documentation"),
        BlockedRange.Of("203.0.113.0/24", "documentation"),
        BlockedRange.Of("224.0.0.0/4", "multicast"),
        BlockedRange.Of("240.0.0.0/4", "reserved"),
    ];

    public static readonly BlockedRange[] V6 =
    [
        BlockedRange.Of("fd00:ec2::254/128", "cloud metadata"),
        BlockedRange.Of("::/128", "unspecified"),
        BlockedRange.Of("::1/128", "loopback"),
        BlockedRange.Of("100::/64", "discard-only (reserved)"),
        BlockedRange.Of("2001:2::/48", "benchmarking"),
        BlockedRange.Of("2001:db8::/32", "documentation"),
        BlockedRange.Of("fc00::/7", "unique-local"),
        BlockedRange.Of("fe80::/10", "link-local"),
        BlockedRange.Of("fec0::/10", "site-local (deprecated)"),
        BlockedRange.Of("ff00::/8", "multicast"),
    ];

    private static readonly IPNetwork Mapped = IPNetwork.Parse("::ffff:0:0/96");
    private static readonly IPNetwork Translated = IPNetwork.Parse("::ffff:0:0:0/96");
    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Nat64Local = IPNetwork.Parse("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");

    /// <summary>The class of <paramref name="address"/> when it is refused by default, else null. IPv4 only or IPv6 only: no embedded forms.</summary>
    public static string? ClassOf(IPAddress address)
    {
        foreach (var range in address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? V4 : V6)
        {
            if (range.Network.Contains(address)) return range.Class;
        }
        return null;
    }

    /// <summary>
    /// The IPv4 addresses an IPv6 address stands for or carries: mapped (<c>::ffff:a.b.c.d</c>), translated,
    /// compatible (<c>::a.b.c.d</c>), NAT64 (<c>64:ff9b::/96</c>, <c>64:ff9b:1::/48</c>), 6to4 (<c>2002:AABB:CCDD::</c>)
    /// and Teredo (server, and the client's address stored inverted).
    /// </summary>
    public static IEnumerable<IPAddress> Embedded(IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) yield break;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var last = BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]);
        if (Mapped.Contains(address) || Translated.Contains(address) || Nat64.Contains(address) || Nat64Local.Contains(address))
            yield return FromUInt32(last);
        // :: and ::1 are IPv6's own unspecified and loopback; every other ::/96 address is IPv4-compatible.
        else if (Compatible.Contains(address) && last > 1)
            yield return FromUInt32(last);
        else if (SixToFour.Contains(address))
            yield return FromUInt32(BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]));
        else if (Teredo.Contains(address))
        {
            yield return FromUInt32(BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]));
            yield return FromUInt32(~last);
        }
    }

    private static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
