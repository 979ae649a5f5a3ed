using System.Text;

namespace Longhaul.AspNetCore;

/// <summary>
/// Turns Kestrel's canned rejection (an HTTP/1.x 4xx/5xx head with <c>Content-Length: 0</c>, no <c>Content-Type</c> and
/// no body) into the same head with a problem document. Anything else is left alone.
/// </summary>
internal static class RejectionResponse
{
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>The rewritten response, or null when <paramref name="response"/> is not Kestrel's canned rejection.</summary>
    public static byte[]? TryRewrite(ReadOnlySpan<byte> response, bool head)
    {
        if (head || response.Length < 16 || !(response.StartsWith("HTTP/1.1 "u8) || response.StartsWith("HTTP/1.0 "u8))) return null;
        if (response.IndexOf(HeadEnd) != response.Length - HeadEnd.Length) return null;
        var text = Encoding.ASCII.GetString(response[..^HeadEnd.Length]);
        if (!int.TryParse(text.AsSpan(9, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status)
            || status is < 400 or > 599)
        {
            return null;
        }
        var lines = text.Split("\r\n");
        var kept = new StringBuilder(lines[0]).Append("\r\n");
        var emptyBody = false;
        foreach (var line in lines.AsSpan(1))
        {
            if (line.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase)) return null;
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                if (line.AsSpan(15).Trim() is not "0") return null;
                emptyBody = true;
                continue;
            }
            kept.Append(line).Append("\r\n");
        }
        if (!emptyBody) return null;
        var body = RejectedRequestProblems.Body(status);
        kept.Append("Content-Type: ").Append(ProblemResults.ContentType).Append("\r\n")
            .Append("Content-Length: ").Append(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(kept.ToString()), .. body];
    }
}
