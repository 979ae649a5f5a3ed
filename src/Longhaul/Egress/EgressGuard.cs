using System.Net;
using System.Net.Sockets;

namespace Longhaul.Egress;

/// <summary>
/// Stops server-side request forgery: a destination chosen by a client (or an upstream an operator opted in) is
/// reached only when every address its host resolves to is a public unicast address or allow-listed. Two checks
/// share one rule: <see cref="CheckUrlAsync"/> at creation (a reason for a 422) and the connect callback of the
/// handlers from <see cref="CreateHandler"/>, which resolves the host itself and connects only to checked
/// addresses, so an answer that changes after creation (DNS rebinding) is caught where it matters.
/// Split by concern: the rule and the URL check here, the connection in <c>EgressGuard.Connect.cs</c>.
/// </summary>
internal sealed partial class EgressGuard
{
    private readonly EgressAllowList _allow;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <param name="options">Validated options.</param>
    /// <param name="resolve">Host name to addresses; <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/> unless a test plays DNS.</param>
    public EgressGuard(EgressGuardOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _allow = new EgressAllowList(options);
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>Why <paramref name="address"/> is refused, else null (a public address, or one in an allowed network).</summary>
    public string? CheckAddress(IPAddress address)
    {
        if (_allow.Allows(address)) return null;
        if (address.IsIPv4MappedToIPv6) return CheckAddress(address.MapToIPv4());
        if (BlockedRanges.ClassOf(address) is { } own) return $"{address} is a {own} address";
        foreach (var embedded in BlockedRanges.Embedded(address))
        {
            if (!_allow.Allows(embedded) && BlockedRanges.ClassOf(embedded) is { } inner)
                return $"{address} carries the IPv4 address {embedded}, a {inner} address";
        }
        return null;
    }

    /// <summary>
    /// The creation-time check of a destination URL: http or https, a host, no credentials, and every address of
    /// the host allowed. Returns why it is refused, else null. The connection is checked again when it is made.
    /// </summary>
    public async Task<string?> CheckUrlAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "the URL is not an absolute URL";
        if (uri.Scheme is not ("http" or "https")) return $"the scheme '{uri.Scheme}' is not http or https";
        if (uri.UserInfo.Length > 0) return "the URL must not contain credentials (user info)";
        var host = HostOf(uri.IdnHost);
        if (host.Length == 0) return "the URL has no host";
        try
        {
            var (_, refusal) = await ResolveCheckedAsync(host, cancellationToken).ConfigureAwait(false);
            return refusal;
        }
        catch (SocketException ex)
        {
            return $"the host '{host}' could not be resolved ({ex.SocketErrorCode})";
        }
    }

    /// <summary>
    /// The addresses to connect to for <paramref name="host"/> (an IP literal in any form, or a name resolved now) and
    /// the refusal when any of them is not allowed. An allow-listed host name is not checked.
    /// </summary>
    private async Task<(IPAddress[] Addresses, string? Refusal)> ResolveCheckedAsync(string host, CancellationToken cancellationToken)
    {
        // IPAddress parsing accepts the inet_aton forms (2130706433, 0177.0.0.1, 0x7f.1, 127.1) that a resolver would too.
        if (IPAddress.TryParse(host, out var literal))
            return ([literal], CheckAddress(literal) is { } reason ? $"the destination {reason}" : null);
        var addresses = (await _resolve(host, cancellationToken).ConfigureAwait(false)).Distinct().ToArray();
        if (addresses.Length == 0) return (addresses, $"the host '{host}' resolved to no address");
        if (_allow.Allows(host)) return (addresses, null);
        foreach (var address in addresses)
        {
            if (CheckAddress(address) is { } reason) return (addresses, $"the host '{host}' resolves to {address}, and {reason}");
        }
        return (addresses, null);
    }

    private static string HostOf(string host)
        => host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
}
