using System.Globalization;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Longhaul.AspNetCore;

/// <summary>
/// The part of an operation file a request asks for (RFC 9110 §14): one byte range of a <c>GET</c> with
/// <c>Range: bytes=…</c>, honoured only while <c>If-Range</c> (when sent) still matches the file. Anything else (no
/// <c>Range</c>, another unit, several ranges, a changed file) is the whole file, as the RFC allows.
/// </summary>
internal readonly record struct FileRange(long Start, long Length, bool Partial, bool Unsatisfiable)
{
    public static FileRange Whole(StoredFile file) => new(0, file.Length, Partial: false, Unsatisfiable: false);

    /// <summary>The file's strong validator: a file rewritten (a later attempt, or the same name written again) gets a new one.</summary>
    public static string ETag(StoredFile file)
        => string.Create(CultureInfo.InvariantCulture, $"\"{file.Epoch:x}-{file.CreatedAt.UtcTicks:x}-{file.Length:x}\"");

    public static FileRange Select(HttpRequest request, StoredFile file, string etag)
    {
        if (!HttpMethods.IsGet(request.Method) || !HasFixedChunks(file)) return Whole(file);
        var header = request.Headers.Range;
        if (header.Count != 1 || !RangeHeaderValue.TryParse(header[0], out var range)) return Whole(file);
        if (!string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || range.Ranges.Count != 1) return Whole(file);
        if (!IfRangeHolds(request, file, etag)) return Whole(file);

        var item = range.Ranges.First();
        long start, end;
        if (item.From is { } from)
        {
            if (from >= file.Length) return new(0, 0, Partial: false, Unsatisfiable: true);
            start = from;
            end = item.To is { } to ? Math.Min(to, file.Length - 1) : file.Length - 1;
        }
        else
        {
            // A suffix: the last N bytes.
            var suffix = item.To ?? 0;
            if (suffix <= 0 || file.Length == 0) return new(0, 0, Partial: false, Unsatisfiable: true);
            start = Math.Max(0, file.Length - suffix);
            end = file.Length - 1;
        }
        return new(start, end - start + 1, Partial: true, Unsatisfiable: false);
    }

    /// <summary>Every chunk but the last is full, so a byte offset maps to a chunk (what <see cref="OperationFileWriter"/> writes).</summary>
    public static bool HasFixedChunks(StoredFile file)
        => file.Chunks == Math.Max(1, (file.Length + OperationFileWriter.ChunkBytes - 1) / OperationFileWriter.ChunkBytes);

    private static bool IfRangeHolds(HttpRequest request, StoredFile file, string etag)
    {
        var header = request.Headers.IfRange;
        if (header.Count == 0) return true;
        if (header.Count != 1) return false;
        var value = header[0]!;
        if (value.StartsWith('"') || value.StartsWith("W/", StringComparison.Ordinal))
            return EntityTagHeaderValue.TryParse(value, out var tag) && !tag.IsWeak && tag.Tag.Value == etag;
        // A date matches only the exact Last-Modified second.
        return HeaderUtilities.TryParseDate(value, out var date) && date == LastModified(file);
    }

    public static DateTimeOffset LastModified(StoredFile file)
        => new(file.CreatedAt.UtcTicks - file.CreatedAt.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
