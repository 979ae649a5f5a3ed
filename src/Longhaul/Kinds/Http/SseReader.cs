using System.Text;

namespace Longhaul.Kinds.Http;

/// <summary>Parses a <c>text/event-stream</c> body (WHATWG HTML §9.2) into events; comments and <c>retry:</c> are skipped.</summary>
internal sealed class SseReader(TextReader reader)
{
    /// <summary>The next event, or null at the end of the stream (a trailing event without a blank line is dropped, as the spec says).</summary>
    public async Task<SseMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        string? type = null;
        string? id = null;
        StringBuilder? data = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null) return new SseMessage(type, data.ToString(), id);
                type = null;
                continue;
            }
            if (line[0] == ':') continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "data":
                    if (data is null) data = new StringBuilder(value);
                    else data.Append('\n').Append(value);
                    break;
                case "id":
                    id = value;
                    break;
            }
        }
        return null;
    }
}
