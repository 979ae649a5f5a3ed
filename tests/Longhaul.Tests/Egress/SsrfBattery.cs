using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Longhaul.Tests.Egress;

/// <summary>
/// The table of the SSRF battery: one address of every class the egress guard refuses, and every way of writing it
/// that .NET's URI and address parsing accepts.
/// </summary>
public static class SsrfBattery
{
    /// <summary>One IPv4 address per refused IPv4 class.</summary>
    public static readonly string[] BlockedV4 =
    [
        "127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.254", "192.168.1.1", "169.254.1.1",
        "169.254.169.254", "100.64.0.1", "100.100.100.200", "0.0.0.0", "0.1.2.3", "255.255.255.255", "224.0.0.1",
        "239.255.255.250", "198.18.0.1", "198.19.255.1", "192.0.0.1", "192.0.2.1", "198.51.100.1", "203.0.113.1",
        "240.0.0.1",
    ];

    /// <summary>One IPv6 address per refused IPv6 class.</summary>
    public static readonly string[] BlockedV6 =
    [
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "fd00:ec2::254", "ff02::1", "ff05::1:3", "2001:db8::1",
        "100::1", "fec0::1",
    ];

    /// <summary>Public addresses in several forms; none of them is refused.</summary>
    public static readonly string[] Public =
    [
        "93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:2800::1", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34",
        "64:ff9b::5db8:d822", "2002:5db8:d822::1", "2001:4860:4860::8888",
    ];

    /// <summary>Every form of one IPv4 address: dotted, decimal, octal, hex, short, and the IPv6 forms that embed it.</summary>
    public static IEnumerable<string> HostForms(string v4)
    {
        var bytes = IPAddress.Parse(v4).GetAddressBytes();
        var value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        yield return v4;
        yield return value.ToString(CultureInfo.InvariantCulture);
        yield return string.Join('.', bytes.Select(b => "0" + Convert.ToString(b, 8)));
        yield return "0x" + value.ToString("x", CultureInfo.InvariantCulture);
        yield return string.Join('.', bytes.Select(b => "0x" + b.ToString("x", CultureInfo.InvariantCulture)));
        yield return $"{bytes[0]}.{value & 0xFFFFFF}";
        yield return $"{bytes[0]}.{bytes[1]}.{value & 0xFFFF}";
        var high = (value >> 16).ToString("x", CultureInfo.InvariantCulture);
        var low = (value & 0xFFFF).ToString("x", CultureInfo.InvariantCulture);
        yield return $"[::ffff:{v4}]";
        yield return $"[::ffff:{high}:{low}]";
        yield return $"[::{v4}]";
        yield return $"[64:ff9b::{high}:{low}]";
        yield return $"[64:ff9b::{v4}]";
        yield return $"[2002:{high}:{low}::]";
        yield return $"[2002:{high}:{low}:1::1]";
        // Teredo: a public server (65.54.227.120) and the client's address stored inverted.
        var inverted = ~value;
        yield return $"[2001:0:4136:e378:8000:63bf:{(inverted >> 16).ToString("x", CultureInfo.InvariantCulture)}:{(inverted & 0xFFFF).ToString("x", CultureInfo.InvariantCulture)}]";
    }

    /// <summary>Every refused destination URL of the battery.</summary>
    public static TheoryData<string> BlockedUrls()
    {
        var data = new TheoryData<string>();
        foreach (var v4 in BlockedV4)
        {
            foreach (var form in HostForms(v4)) data.Add($"http://{form}/");
        }
        foreach (var v6 in BlockedV6) data.Add($"https://[{v6}]:8443/x");
        return data;
    }
}
