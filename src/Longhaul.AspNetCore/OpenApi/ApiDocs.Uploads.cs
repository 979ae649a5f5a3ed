using static Longhaul.AspNetCore.OpenApi.ApiResponse;
using static Longhaul.Contracts.ProblemCodes;

namespace Longhaul.AspNetCore.OpenApi;

/// <summary>The uploads endpoints (tus 1.0 and the plain JSON/whole-body ones).</summary>
internal static partial class ApiDocs
{
    private const string Up = "Uploads";
    private const string UpNotFound = "No such upload (also another tenant's).";
    private static readonly ApiParam TusResumable = ApiParam.Header("Tus-Resumable", """{"type":"string"}""", "`1.0.0` (anything else → 412).", required: true);
    private static readonly ApiResponse TusVersion = Problem(412, "`Tus-Resumable` missing or not `1.0.0`.", TusVersionUnsupported) with { Headers = ["Tus-Version"] };

    public static readonly ApiDoc UploadOptions = new("tusOptions", Up, "tus discovery")
    {
        Responses = [Empty(204, "What the server speaks.", "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Checksum-Algorithm", "Tus-Max-Size")],
    };

    public static readonly ApiDoc UploadCreate = new("tusCreate", Up, "tus creation (optionally with the first bytes)")
    {
        Parameters =
        [
            TusResumable,
            ApiParam.Header("Upload-Length", """{"type":"string","pattern":"^[0-9]+$"}""", "The total length in bytes.", required: true),
            ApiParam.Header("Upload-Metadata", Str, "tus metadata: comma-separated `key base64value` pairs."),
            ApiParam.Header("Upload-Checksum", Str, "`sha1|sha256|md5 <base64>` of the first bytes."),
        ],
        Body = new ApiBody("application/offset+octet-stream", """{"type":"string","format":"binary"}""", Required: false),
        Responses =
        [
            Empty(201, "Created.", "Location", "Upload-Expires", "Upload-Offset", "Tus-Resumable"),
            Problem(400, "A bad `Upload-Length` or `Upload-Metadata`, or `Upload-Defer-Length` (not supported).", InvalidParameter),
            TusVersion,
            Problem(413, "Above `Tus-Max-Size`.", UploadTooLarge),
            StorageLimited,
            Problem(415, "A body that is not `application/offset+octet-stream`.", UnsupportedMediaType),
            Problem(460, "The first bytes do not match `Upload-Checksum`.", ChecksumMismatch),
        ],
    };

    public static readonly ApiDoc UploadPut = new("putUpload", Up, "A whole small body in one request (no tus headers)")
    {
        Body = new ApiBody("application/octet-stream", """{"type":"string","format":"binary"}""", Required: false),
        Responses =
        [
            Ok(201, "Stored.", "#UploadResource", "Location"),
            Problem(411, "No `Content-Length`.", LengthRequired),
            Problem(413, "Above `Longhaul:Uploads:MaxBytes`.", UploadTooLarge),
            StorageLimited,
        ],
    };

    public static readonly ApiDoc UploadHead = new("tusHead", Up, "tus: how far the upload got")
    {
        Parameters = [TusResumable],
        Responses =
        [
            Empty(200, "Its offset (no body).", "Upload-Offset", "Upload-Length", "Upload-Metadata", "Upload-Expires", "Cache-Control", "Tus-Resumable"),
            Empty(404, UpNotFound), Empty(410, "Expired."), Empty(412, "`Tus-Resumable` missing or not `1.0.0`.", "Tus-Version"),
        ],
    };

    public static readonly ApiDoc UploadGet = new("getUpload", Up, "The upload as JSON")
    {
        Responses = [Ok(200, "The upload.", "#UploadResource"), Problem(404, UpNotFound, UploadNotFound), Problem(410, "Expired.", UploadExpired)],
    };

    public static readonly ApiDoc UploadContent = new("getUploadContent", Up, "The bytes stored so far")
    {
        Responses =
        [
            new(200, "`Content-Length` = offset.") { ContentType = "application/octet-stream", Schema = """{"type":"string","format":"binary"}""", Headers = ["Content-Length"] },
            Problem(404, UpNotFound, UploadNotFound), Problem(410, "Expired.", UploadExpired),
        ],
    };

    public static readonly ApiDoc UploadPatch = new("tusPatch", Up, "tus: append the body at `Upload-Offset`")
    {
        Parameters =
        [
            TusResumable,
            ApiParam.Header("Upload-Offset", """{"type":"string","pattern":"^[0-9]+$"}""", "Where the body goes: the upload's offset.", required: true),
            ApiParam.Header("Upload-Checksum", Str, "`sha1|sha256|md5 <base64>`: the body is kept only when all of it matches."),
        ],
        Body = new ApiBody("application/offset+octet-stream", """{"type":"string","format":"binary"}"""),
        Responses =
        [
            Empty(204, "Appended.", "Upload-Offset", "Tus-Resumable"),
            Problem(400, "A malformed `Upload-Offset` or `Upload-Checksum`, or another algorithm.", InvalidParameter),
            Problem(404, UpNotFound, UploadNotFound),
            Problem(409, "`Upload-Offset` is not the upload's (the current one is in the header).", UploadOffsetMismatch) with { Headers = ["Upload-Offset"] },
            Problem(410, "Expired.", UploadExpired),
            TusVersion,
            Problem(413, "Past `Upload-Length`.", UploadTooLarge),
            Problem(415, "Not `application/offset+octet-stream`.", UnsupportedMediaType),
            Problem(460, "The body does not match `Upload-Checksum` (nothing kept).", ChecksumMismatch),
        ],
    };

    public static readonly ApiDoc UploadDelete = new("tusDelete", Up, "tus termination")
    {
        Parameters = [TusResumable],
        Responses = [Empty(204, "Deleted.", "Tus-Resumable"), Problem(404, UpNotFound, UploadNotFound), TusVersion],
    };
}
