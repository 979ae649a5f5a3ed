using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Longhaul.AspNetCore;

/// <summary>Opaque list cursors: base64url of "v1:{seq}".</summary>
internal static class PageTokens
{
    public static string Encode(long cursor) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"v1:{cursor.ToString(CultureInfo.InvariantCulture)}"));

    public static long? Decode(string token)
    {
        if (token.Length > 64) return null;
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            return text.StartsWith("v1:", StringComparison.Ordinal)
                   && long.TryParse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var cursor) && cursor > 0
                ? cursor
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
