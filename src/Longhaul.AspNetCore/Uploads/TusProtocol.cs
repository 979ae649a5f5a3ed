using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore.Uploads;

/// <summary>The tus 1.0 headers: version, metadata, checksum and expiry, parsed and written in one place.</summary>
internal static class TusProtocol
{
    public const string Version = "1.0.0";
    public const string Extensions = "creation,creation-with-upload,termination,checksum,expiration";
    public const string ChecksumAlgorithms = "sha1,sha256,md5";
    public const string OffsetContentType = "application/offset+octet-stream";
    private const int MaxMetadataChars = 4096;
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Sets <c>Tus-Resumable</c>; false (and a 412 written) when the request's is missing or another version.</summary>
    public static async Task<bool> CheckVersionAsync(HttpContext context)
    {
        context.Response.Headers["Tus-Resumable"] = Version;
        var asked = context.Request.Headers["Tus-Resumable"].ToString();
        if (asked == Version) return true;
        context.Response.Headers["Tus-Version"] = Version;
        await UploadProblems.WriteAsync(context, ProblemCodes.TusVersionUnsupported,
            asked.Length == 0 ? "Send Tus-Resumable: 1.0.0 (the tus protocol), or use PUT /uploads for a plain upload." : $"This server speaks tus {Version}, not '{asked}'.").ConfigureAwait(false);
        return false;
    }

    /// <summary>A non-negative integer header; null with <paramref name="error"/> set when malformed, null without it when absent.</summary>
    public static long? ReadLength(HttpRequest request, string header, out string? error)
    {
        error = null;
        var values = request.Headers[header];
        if (values.Count == 0) return null;
        if (values.Count == 1 && long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        error = $"{header} must be one non-negative integer.";
        return null;
    }

    /// <summary>Parses <c>Upload-Metadata</c> (comma-separated <c>key base64value</c> pairs); null with an error when malformed.</summary>
    public static Dictionary<string, string>? ParseMetadata(string? header, out string? error)
    {
        error = null;
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(header)) return pairs;
        if (header.Length > MaxMetadataChars)
        {
            error = $"Upload-Metadata is longer than {MaxMetadataChars} characters.";
            return null;
        }
        foreach (var item in header.Split(','))
        {
            var parts = item.Trim().Split(' ');
            if (parts.Length is < 1 or > 2 || parts[0].Length == 0 || !parts[0].All(c => c is > ' ' and < '\u007f') || !pairs.TryAdd(parts[0], ""))
            {
                error = "Upload-Metadata must be comma-separated pairs of a unique ASCII key and an optional base64 value.";
                return null;
            }
            if (parts.Length == 1) continue;
            try
            {
                pairs[parts[0]] = StrictUtf8.GetString(Convert.FromBase64String(parts[1]));
            }
            catch (Exception e) when (e is FormatException or DecoderFallbackException)
            {
                error = $"Upload-Metadata: the value of '{parts[0]}' is not base64 of UTF-8 text.";
                return null;
            }
        }
        return pairs;
    }

    /// <summary>Parses <c>Upload-Checksum: algorithm base64</c>; null without one; an error when malformed or an algorithm not offered.</summary>
    public static (HashAlgorithmName Algorithm, byte[] Digest)? ParseChecksum(HttpRequest request, out string? error)
    {
        error = null;
        var header = request.Headers["Upload-Checksum"];
        if (header.Count == 0) return null;
        var parts = header.ToString().Split(' ', 2);
        HashAlgorithmName? algorithm = parts[0] switch
        {
            "sha1" => HashAlgorithmName.SHA1,
            "sha256" => HashAlgorithmName.SHA256,
            "md5" => HashAlgorithmName.MD5,
            _ => null,
        };
        if (algorithm is null)
        {
            error = $"Upload-Checksum: algorithm '{parts[0]}' is not supported; use one of {ChecksumAlgorithms}.";
            return null;
        }
        try
        {
            if (parts.Length == 2) return (algorithm.Value, Convert.FromBase64String(parts[1]));
        }
        catch (FormatException)
        {
        }
        error = "Upload-Checksum must be an algorithm and a base64 digest separated by a space.";
        return null;
    }

    public static void WriteExpires(HttpResponse response, DateTimeOffset expiresAt)
        => response.Headers["Upload-Expires"] = expiresAt.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);
}
