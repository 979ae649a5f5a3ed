using System.Net;

namespace Longhaul.Egress;

/// <summary>The operator's exceptions (<see cref="EgressGuardOptions"/>), parsed once from validated options.</summary>
internal sealed class EgressAllowList
{
    private readonly IPNetwork[] _networks;
    private readonly string[] _exactHosts;
    private readonly string[] _hostSuffixes;

    public EgressAllowList(EgressGuardOptions options)
    {
        _networks = [.. options.AllowedNetworks.Select(n => IPNetwork.Parse(n.Trim()))];
        var hosts = options.AllowedHosts.Select(Normalize).ToList();
        _exactHosts = [.. hosts.Where(h => !h.StartsWith("*.", StringComparison.Ordinal))];
        _hostSuffixes = [.. hosts.Where(h => h.StartsWith("*.", StringComparison.Ordinal)).Select(h => h[1..])];
    }

    /// <summary>Whether the address, or the IPv4 address it maps, is in an allowed network.</summary>
    public bool Allows(IPAddress address)
    {
        var v4 = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : null;
        foreach (var network in _networks)
        {
            if (network.Contains(address) || (v4 is not null && network.Contains(v4))) return true;
        }
        return false;
    }

    /// <summary>Whether a host name is allowed whatever it resolves to.</summary>
    public bool Allows(string host)
    {
        var name = Normalize(host);
        return _exactHosts.Contains(name, StringComparer.Ordinal)
            || _hostSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length);
    }

    /// <summary>Why a configured host pattern is unusable, else null.</summary>
    public static string? HostProblem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return "is empty";
        var name = Normalize(pattern);
        if (name.StartsWith("*.", StringComparison.Ordinal)) name = name[2..];
        if (name.Length == 0 || name.Split('.').Any(label => label.Length is 0 or > 63 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            return "is not a host name or a '*.' wildcard in front of one";
        if (IPAddress.TryParse(name, out _))
            return "is an IP address; put it in Longhaul:Egress:AllowedNetworks as a CIDR (e.g. /32) instead";
        return null;
    }

    private static string Normalize(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();
}
