namespace Longhaul.Contracts;

/// <summary>The stable, machine-readable <c>code</c> values of problem documents.</summary>
public static class ProblemCodes
{
    public const string OperationNotFound = "operation_not_found";
    public const string FileNotFound = "file_not_found";
    public const string RangeNotSatisfiable = "range_not_satisfiable";
    public const string ValidationFailed = "validation_failed";
    public const string MalformedJson = "malformed_json";
    public const string JsonTooDeep = "json_too_deep";
    public const string InvalidUnicode = "invalid_unicode";
    public const string DuplicateMember = "duplicate_member";
    public const string BodyTooLarge = "body_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string IdempotencyKeyInvalid = "idempotency_key_invalid";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string IdempotencyKeyInFlight = "idempotency_key_in_flight";
    public const string OperationTerminal = "operation_terminal";
    public const string OperationNotTerminal = "operation_not_terminal";
    public const string InvalidParameter = "invalid_parameter";
    public const string Unauthorized = "unauthorized";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string StoreUnavailable = "store_unavailable";
    public const string InternalError = "internal_error";
    public const string UpstreamNotFound = "upstream_not_found";
    public const string UpstreamError = "upstream_error";

    // The gateway's answer to a call that produced no upstream answer carries the operation's error code. These are the
    // error codes with a status of their own; any other passes through with upstream_error's status and title.
    public const string UpstreamTimeout = "upstream_timeout";
    public const string DeadlineExceeded = "deadline_exceeded";
    public const string Cancelled = "cancelled";

    public const string ShuttingDown = "shutting_down";
    public const string NotAnApiNode = "not_an_api_node";
    public const string HttpError = "http_error";

    // Requests the HTTP server rejects before any route runs (a request line, headers or body framing it cannot accept).
    public const string BadRequest = "bad_request";
    public const string RequestTimeout = "request_timeout";
    public const string LengthRequired = "length_required";
    public const string UriTooLong = "uri_too_long";
    public const string RequestHeadersTooLarge = "request_headers_too_large";
    public const string HttpVersionNotSupported = "http_version_not_supported";
}
