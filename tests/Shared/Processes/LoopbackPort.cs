using System.Net;
using System.Net.Sockets;

namespace Longhaul.Testing;

/// <summary>Ports on 127.0.0.1 for the child processes and servers tests start.</summary>
public static class LoopbackPort
{
    /// <summary>A port the system has just handed out as free (bound and released again, so another process can take it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
