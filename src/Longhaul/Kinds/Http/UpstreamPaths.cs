namespace Longhaul.Kinds.Http;

/// <summary>
/// Which request paths reach an upstream: the one rule the <c>http</c> kind and the gateway share (the gateway builds
/// an <c>http</c> input and validates it like any other).
/// </summary>
/// <remarks>
/// A path is a sequence of segments separated by '/'. It is refused outright when any segment, after
/// percent-decoding (so <c>%2F</c> counts as a separator here), is <c>.</c>, <c>..</c> or empty (<c>//</c>), or
/// when it holds a backslash: those mean different things to different servers. A prefix admits a path when the
/// prefix's segments equal the path's first segments one for one, compared percent-decoded and case-sensitively;
/// so <c>/api</c> admits <c>/api</c> and <c>/api/x</c>, never <c>/api_admin</c>, <c>/apiary</c> or
/// <c>/api%2Fx</c> (an encoded slash is part of a segment, and <c>api/x</c> is not <c>api</c>). A trailing '/'
/// on a prefix changes nothing, and <c>/</c> admits every path.
/// </remarks>
internal static class UpstreamPaths
{
    /// <summary>Why <paramref name="path"/> can never be sent, or null when its form is fine.</summary>
    public static string? FormProblem(string path)
    {
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Contains("://", StringComparison.Ordinal))
            return "must be a path starting with a single '/', not an absolute URL";
        if (path.Any(c => c is '?' or '#' or '\\' || char.IsControl(c) || c == ' '))
            return "must not contain '?', '#', '\\', spaces or control characters (put parameters in input.query)";
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return "is not a valid path";
        }
        // The last segment may be empty (a trailing '/'); no other.
        var segments = decoded.Split('/');
        if (segments.Skip(1).SkipLast(1).Any(s => s.Length == 0) || segments.Any(s => s is "." or "..") || decoded.Contains('\\', StringComparison.Ordinal))
            return "must not contain '.' or '..' segments or empty segments, also not percent-encoded";
        return null;
    }

    /// <summary>Whether one of <paramref name="prefixes"/> admits <paramref name="path"/> (a path <see cref="FormProblem"/> accepts).</summary>
    public static bool IsAllowed(string path, IEnumerable<string> prefixes)
    {
        var pathSegments = Segments(path);
        return prefixes.Any(prefix =>
        {
            var prefixSegments = Segments(prefix);
            return prefixSegments.Length <= pathSegments.Length
                && prefixSegments.AsSpan().SequenceEqual(pathSegments.AsSpan(0, prefixSegments.Length));
        });
    }

    /// <summary>Why a configured prefix is unusable, or null.</summary>
    public static string? PrefixProblem(string? prefix)
    {
        if (prefix is null || !prefix.StartsWith('/')) return "must start with '/'";
        if (prefix.Length > 1 && FormProblem(prefix.TrimEnd('/')) is not null)
            return "must be a plain path: no '?', '#', '\\', '.' or '..' segments, empty segments or spaces";
        return null;
    }

    /// <summary>The decoded segments after the leading '/', a trailing empty one dropped ("/" has none).</summary>
    private static string[] Segments(string path)
    {
        var trimmed = path.TrimStart('/');
        if (trimmed.EndsWith('/')) trimmed = trimmed[..^1];
        return trimmed.Length == 0 ? [] : [.. trimmed.Split('/').Select(Uri.UnescapeDataString)];
    }
}
