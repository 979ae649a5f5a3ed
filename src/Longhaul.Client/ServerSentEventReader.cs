using System.Globalization;
using System.Text;

namespace Longhaul.Client;

/// <summary>Reads the events of a <c>text/event-stream</c> body (<c>id:</c>, <c>event:</c>, <c>data:</c> lines; comments and <c>retry:</c> skipped).</summary>
internal sealed class ServerSentEventReader(Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    /// <summary>The next whole event, or null when the stream ended (cleanly or part-way through an event).</summary>
    public async Task<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        long? eventId = null;
        string? type = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is not null) return new ServerSentEvent(eventId, type, data.ToString());
                eventId = null;
                data.Clear();
            }
            else if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                eventId = long.Parse(line.AsSpan(3).Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                type = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0) data.Append('\n');
                data.Append(line.AsSpan(line.StartsWith("data: ", StringComparison.Ordinal) ? 6 : 5));
            }
        }
        return null;
    }

    public void Dispose() => _reader.Dispose();
}
