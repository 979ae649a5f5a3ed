namespace Longhaul.AspNetCore.OpenApi;

/// <summary>The response headers the document names, with their schema and meaning (components/headers).</summary>
internal static class ApiHeaders
{
    /// <summary>Name → (JSON Schema literal, description).</summary>
    public static IReadOnlyDictionary<string, (string Schema, string Description)> All { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["Location"] = (Str, "Where the created resource is (e.g. `/v1/operations/{id}`), following the API's mount path."),
        ["Retry-After"] = ("""{"type":"string","pattern":"^[0-9]+$"}""", "Seconds until it is worth asking again: adaptive, from `estimated_completion`, within the configured bounds."),
        ["Idempotent-Replayed"] = ("""{"type":"string","enum":["true"]}""", "The answer of an earlier request with the same `Idempotency-Key` and body."),
        ["Preference-Applied"] = (Str, "`wait=N` when `Prefer: wait=N` was honoured (the operation finished in time)."),
        ["Longhaul-Operation-Id"] = (Str, "The id of the `http` operation the gateway started."),
        ["Content-Range"] = (Str, "`bytes first-last/length`, or `bytes */length` on a 416."),
        ["Accept-Ranges"] = ("""{"type":"string","enum":["bytes"]}""", "Byte ranges are served."),
        ["ETag"] = (Str, "The file version, for `If-Range`."),
        ["Last-Modified"] = (Str, "When the file was written (HTTP date)."),
        ["Content-Length"] = ("""{"type":"string","pattern":"^[0-9]+$"}""", "Exact length of the body."),
        ["Tus-Resumable"] = ("""{"type":"string","enum":["1.0.0"]}""", "The tus version of the answer."),
        ["Tus-Version"] = ("""{"type":"string","enum":["1.0.0"]}""", "The tus versions the server speaks."),
        ["Tus-Extension"] = (Str, "The tus extensions: `creation,creation-with-upload,termination,checksum,expiration`."),
        ["Tus-Checksum-Algorithm"] = (Str, "`sha1,sha256,md5`."),
        ["Tus-Max-Size"] = ("""{"type":"string","pattern":"^[0-9]+$"}""", "The largest upload accepted, in bytes (`Longhaul:Uploads:MaxBytes`)."),
        ["Upload-Offset"] = ("""{"type":"string","pattern":"^[0-9]+$"}""", "How many bytes the upload holds."),
        ["Upload-Length"] = ("""{"type":"string","pattern":"^[0-9]+$"}""", "The upload's declared length."),
        ["Upload-Metadata"] = (Str, "The `Upload-Metadata` sent at creation."),
        ["Upload-Expires"] = (Str, "When an unfinished upload expires (HTTP date)."),
        ["Cache-Control"] = (Str, "`no-store`."),
    };

    private const string Str = """{"type":"string"}""";
}
