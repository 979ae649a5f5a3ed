using System.Net;
using System.Net.Sockets;

namespace Longhaul.Egress;

internal sealed partial class EgressGuard
{
    /// <summary>Connect timeout of <see cref="CreateHandler"/> when the caller gives none: short, since nothing useful waits longer.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A handler with the guard installed (<see cref="Install"/>) and a short connect timeout.</summary>
    public SocketsHttpHandler CreateHandler(TimeSpan? connectTimeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout ?? DefaultConnectTimeout,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        };
        Install(handler);
        return handler;
    }

    /// <summary>An <see cref="HttpClient"/> over <see cref="CreateHandler"/>; it owns the handler.</summary>
    public HttpClient CreateClient(TimeSpan? connectTimeout = null) => new(CreateHandler(connectTimeout), disposeHandler: true);

    /// <summary>
    /// Puts the guard on <paramref name="handler"/>: its connections go through <see cref="ConnectAsync"/>, redirects
    /// are not followed (a 3xx is the answer), and no proxy is used (through a proxy the guard would check the proxy's
    /// address, not the destination's).
    /// </summary>
    public void Install(SocketsHttpHandler handler)
    {
        handler.ConnectCallback = ConnectAsync;
        handler.AllowAutoRedirect = false;
        handler.UseProxy = false;
    }

    /// <summary>
    /// Resolves the host itself, refuses the connection when any address is not allowed, and connects only to the
    /// addresses it checked. Throws <see cref="EgressRefusedException"/> (before any socket is opened) when refused.
    /// </summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = HostOf(context.DnsEndPoint.Host);
        var (addresses, refusal) = await ResolveCheckedAsync(host, cancellationToken).ConfigureAwait(false);
        if (refusal is not null) throw new EgressRefusedException(refusal);
        SocketException? last = null;
        foreach (var checkedAddress in addresses)
        {
            // A mapped address is its IPv4 address (so checked); connecting to that needs no dual-mode socket.
            var address = checkedAddress.IsIPv4MappedToIPv6 ? checkedAddress.MapToIPv4() : checkedAddress;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
