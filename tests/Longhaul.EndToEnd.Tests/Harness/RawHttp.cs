using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// Sends bytes no HTTP client would send (a malformed request line, a NUL in a header, oversized heads) over a plain
/// socket and parses the one HTTP/1.1 answer the server writes before it closes the connection.
/// </summary>
internal static class RawHttp
{
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body, string Raw)
    {
        public JsonNode? Json => JsonNode.Parse(Body);
    }

    /// <summary>Writes <paramref name="request"/> and reads until the server closes the connection (bounded by <paramref name="timeout"/>).</summary>
    public static async Task<Answer> SendAsync(Uri server, byte[] request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, deadline.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request, deadline.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before it has read everything (an oversized head): read the answer anyway.
        }
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0) received.Write(buffer, 0, read);
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the answer (unread request bytes left in the server's socket) ends the read.
        }
        return Parse(Encoding.Latin1.GetString(received.ToArray()));
    }

    private static Answer Parse(string raw)
    {
        var end = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"No HTTP head in the answer: '{raw}'");
        var lines = raw[..end].Split("\r\n");
        var parts = lines[0].Split(' ', 3);
        Assert.True(parts.Length >= 2 && parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal), $"Not an HTTP/1.x status line: '{lines[0]}'");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = raw[(end + 4)..];
        if (headers.TryGetValue("Content-Length", out var length))
        {
            Assert.True(body.Length == int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), $"Content-Length {length}, body {body.Length} bytes:\n{raw}");
        }
        return new Answer(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), headers, body, raw);
    }
}
