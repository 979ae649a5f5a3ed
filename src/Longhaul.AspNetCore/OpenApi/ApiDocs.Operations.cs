using static Longhaul.AspNetCore.OpenApi.ApiResponse;
using static Longhaul.Contracts.ProblemCodes;

namespace Longhaul.AspNetCore.OpenApi;

/// <summary>The descriptions of the operations endpoints (start, read, wait, request, events, files, cancel, delete, list).</summary>
internal static partial class ApiDocs
{
    private const string Ops = "Operations";
    private const string Str = """{"type":"string"}""";
    private const string Seconds = """{"type":"number","minimum":0}""";
    private const string NotFound = "No such operation (also another tenant's).";

    public static readonly ApiDoc Start = new("startOperation", Ops, "Start an operation")
    {
        Description = "Starts an operation of a kind with its input. The input is validated against the kind's input schema (see the `kinds` of this document, or `GET /v1/kinds`).",
        Parameters =
        [
            ApiParam.Header("Idempotency-Key", """{"type":"string","minLength":1,"maxLength":255}""", "1-255 printable ASCII characters: the same key and body start one operation (tenant-scoped, remembered 24 h)."),
            ApiParam.Header("Prefer", Str, "`respond-async, wait=N` (RFC 7240): answer 200 with the finished resource when it finishes within N seconds."),
        ],
        Body = ApiBody.Json("#StartOperationByKind"),
        Responses =
        [
            Ok(202, "Started (or the replay of an earlier request with the same `Idempotency-Key`).", "#OperationResource", "Location", "Retry-After", "Idempotent-Replayed"),
            Ok(200, "Finished within `Prefer: wait=N`.", "#OperationResource", "Location", "Preference-Applied", "Idempotent-Replayed"),
            Problem(400, "A malformed `Idempotency-Key`.", IdempotencyKeyInvalid),
            Problem(409, "A request with the same `Idempotency-Key` is still in progress.", IdempotencyKeyInFlight),
            Problem(429, "The API key's create rate is used up, the tenant has `max_pending` pending operations, or (with `Prefer: wait`) its `max_connections` are held.", RateLimited, TenantPendingLimit, ConnectionLimit) with { Headers = ["Retry-After"] },
            Problem(422, "An unknown kind, an input its schema refuses, a bad field, or an `Idempotency-Key` reused with another body.", ValidationFailed, IdempotencyKeyReused),
        ],
    };

    public static readonly ApiDoc List = new("listOperations", Ops, "List operations, newest first, in cursor pages")
    {
        Description = "Filters combine with AND. `metadata.{name}={value}` (up to 4) matches a top-level metadata member whose value is exactly that string.",
        Parameters = [.. Filters, ApiParam.Query("page_size", """{"type":"integer","minimum":1}""", "Operations per page."), ApiParam.Query("page_token", Str, "The `next_page_token` of the previous page (same key and filters)."), ApiParam.Query("count", """{"type":"string","enum":["true","false"]}""", "`true` adds `total_count` and `total_count_exact`.")],
        Responses = [Ok(200, "A page.", "#OperationList"), Problem(400, "A bad filter value, or a `page_token` tampered with, truncated, foreign or of other filters.", InvalidParameter)],
    };

    public static readonly ApiDoc Get = new("getOperation", Ops, "Read an operation")
    {
        Responses = [Ok(200, "The operation (`Retry-After` while not done).", "#OperationResource", "Retry-After"), Problem(404, NotFound, OperationNotFound)],
    };

    public static readonly ApiDoc Wait = new("waitOperation", Ops, "Long-poll until the operation is done")
    {
        Parameters = [ApiParam.Query("timeout", Seconds, "Seconds to wait at most (capped at `Longhaul:Http:LongPollMax`).")],
        Responses = [Ok(200, "The operation, done or not after the wait.", "#OperationResource", "Retry-After"), Problem(400, "A bad `timeout`.", InvalidParameter), Problem(404, NotFound, OperationNotFound), ConnectionLimited],
    };

    public static readonly ApiDoc Request = new("getOperationRequest", Ops, "The start request that starts the same operation again (run again)")
    {
        Responses = [Ok(200, "The start request, `callback_url` null.", "#StartOperationRequest"), Problem(404, NotFound, OperationNotFound)],
    };

    public static readonly ApiDoc Events = new("streamOperationEvents", Ops, "Server-Sent Events of one operation")
    {
        Description = "Each event has `id:` (a per-operation sequence), `event:` and one JSON `data:` line; `done` ends the stream. Reconnect with `Last-Event-ID` (or `after`) to resume with no gap.",
        Parameters = [ApiParam.Header("Last-Event-ID", Str, "Replay every event after this id."), ApiParam.Query("after", """{"type":"integer","minimum":0}""", "Same as `Last-Event-ID`.")],
        Responses =
        [
            new(200, "The event stream.") { ContentType = "text/event-stream", Schema = Str, Events = new Dictionary<string, string> { ["snapshot"] = "#OperationResource", ["status"] = "#StatusEvent", ["progress"] = "#ProgressEvent", ["output"] = "#Any", ["warning"] = "#WarningEvent", ["done"] = "#OperationResource" } },
            Empty(204, "Resuming after the last event of a finished operation: nothing more will come (EventSource clients stop)."),
            Problem(400, "A bad `after` or `Last-Event-ID`.", InvalidParameter),
            Problem(404, NotFound, OperationNotFound),
            ConnectionLimited,
        ],
    };

    public static readonly ApiDoc File = new("getOperationFile", Ops, "Download an operation file (one byte range with `Range`)")
    {
        Parameters = [ApiParam.Header("Range", Str, "`bytes=first-[last]` or `bytes=-suffix`: one range."), ApiParam.Header("If-Range", Str, "The `ETag` of the first answer: a file written anew since is sent whole.")],
        Responses = FileResponses(Problem(404, "No such operation (also another tenant's), or no such file.", OperationNotFound, FileNotFound)),
    };

    public static readonly ApiDoc Cancel = new("cancelOperation", Ops, "Ask an operation to stop")
    {
        Responses =
        [
            Ok(200, "It is now `cancelled`.", "#OperationResource"),
            Ok(202, "A running handler is still stopping (`cancel_requested: true`).", "#OperationResource", "Retry-After"),
            Problem(404, NotFound, OperationNotFound),
            Problem(409, "It already finished.", OperationTerminal),
        ],
    };

    public static readonly ApiDoc Delete = new("deleteOperation", Ops, "Forget a finished operation, its events and its files")
    {
        Responses = [Empty(204, "Deleted."), Problem(404, NotFound, OperationNotFound), Problem(409, "Not done yet.", OperationNotTerminal)],
    };

    /// <summary>The list's filters, shared by <c>GET /v1/operations</c> and <c>GET /v1/events</c>.</summary>
    private static ApiParam[] Filters =>
    [
        ApiParam.Query("status", Str, "One or more of `pending`, `running`, `succeeded`, `failed`, `cancelled`, comma-separated."),
        ApiParam.Query("kind", Str, "One kind name."),
        ApiParam.Query("created_after", """{"type":"string","format":"date-time"}""", "RFC 3339, inclusive."),
        ApiParam.Query("created_before", """{"type":"string","format":"date-time"}""", "RFC 3339, exclusive."),
    ];

    /// <summary>The answers of a file download (operation files and signed export links).</summary>
    private static ApiResponse[] FileResponses(params ApiResponse[] problems) =>
    [
        new(200, "The whole file, with the `Content-Type` it was stored with.") { ContentType = "*/*", Schema = """{"type":"string","format":"binary"}""", Headers = ["Content-Length", "ETag", "Last-Modified", "Accept-Ranges"] },
        new(206, "The range asked for.") { ContentType = "*/*", Schema = """{"type":"string","format":"binary"}""", Headers = ["Content-Range", "Content-Length", "ETag", "Last-Modified", "Accept-Ranges"] },
        Problem(416, "A range starting past the end (or `bytes=-0`); `Content-Range: bytes */length`.", RangeNotSatisfiable) with { Headers = ["Content-Range"] },
        .. problems,
    ];
}
