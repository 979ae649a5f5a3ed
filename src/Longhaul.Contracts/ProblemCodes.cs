namespace Longhaul.Contracts;

/// <summary>The stable, machine-readable <c>code</c> values of problem documents.</summary>
public static class ProblemCodes
{
    /// <summary>404: no operation with this id for this tenant (another tenant's operations answer this too).</summary>
    public const string OperationNotFound = "operation_not_found";
    /// <summary>404: the operation exists but has no (finished) file of this name.</summary>
    public const string FileNotFound = "file_not_found";
    /// <summary>404: the operation exists but has no webhook delivery with this id.</summary>
    public const string DeliveryNotFound = "delivery_not_found";
    /// <summary>410: a signed download link (an export's <c>download_url</c>) is past its <c>expires_at</c>.</summary>
    public const string LinkExpired = "link_expired";
    /// <summary>404: no upload with this id for this tenant (never created, deleted, or pruned after its expiry).</summary>
    public const string UploadNotFound = "upload_not_found";
    /// <summary>410: the upload is past its <c>Upload-Expires</c> (unfinished too long, or a finished one past its retention).</summary>
    public const string UploadExpired = "upload_expired";
    /// <summary>409: a tus <c>PATCH</c> whose <c>Upload-Offset</c> is not the upload's current offset.</summary>
    public const string UploadOffsetMismatch = "upload_offset_mismatch";
    /// <summary>413: an upload's length is above the server's <c>Longhaul:Uploads:MaxBytes</c>, or a request would write past it.</summary>
    public const string UploadTooLarge = "upload_too_large";
    /// <summary>460 (tus checksum extension): the body does not match its <c>Upload-Checksum</c>; nothing of it was stored.</summary>
    public const string ChecksumMismatch = "checksum_mismatch";
    /// <summary>412: a tus request whose <c>Tus-Resumable</c> is missing or a version the server does not speak (it answers <c>Tus-Version</c>).</summary>
    public const string TusVersionUnsupported = "tus_version_unsupported";
    /// <summary>416: a file download's <c>Range</c> starts past the end of the file.</summary>
    public const string RangeNotSatisfiable = "range_not_satisfiable";
    /// <summary>422: valid JSON that breaks the rules (unknown kind, a bad field); <c>errors</c> names every bad field.</summary>
    public const string ValidationFailed = "validation_failed";
    /// <summary>400: the body is not JSON, or not UTF-8.</summary>
    public const string MalformedJson = "malformed_json";
    /// <summary>400: the JSON nests deeper than <c>MaxJsonDepth</c>.</summary>
    public const string JsonTooDeep = "json_too_deep";
    /// <summary>400: a JSON string or member name is not valid Unicode (a lone surrogate escape, say).</summary>
    public const string InvalidUnicode = "invalid_unicode";
    /// <summary>400: a JSON object repeats a member name.</summary>
    public const string DuplicateMember = "duplicate_member";
    /// <summary>413: the body exceeds the configured limit.</summary>
    public const string BodyTooLarge = "body_too_large";
    /// <summary>415: the body's content type is not one the endpoint accepts.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";
    /// <summary>400: the <c>Idempotency-Key</c> is not one value of 1 to 255 printable ASCII characters.</summary>
    public const string IdempotencyKeyInvalid = "idempotency_key_invalid";
    /// <summary>422: the <c>Idempotency-Key</c> was used before with a different request.</summary>
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    /// <summary>409: the first request with this <c>Idempotency-Key</c> is still being processed.</summary>
    public const string IdempotencyKeyInFlight = "idempotency_key_in_flight";
    /// <summary>409: the operation already finished (a cancel came too late).</summary>
    public const string OperationTerminal = "operation_terminal";
    /// <summary>409: the operation has not finished (a delete came too early).</summary>
    public const string OperationNotTerminal = "operation_not_terminal";
    /// <summary>400: a query parameter or header is malformed; <c>errors</c> names it.</summary>
    public const string InvalidParameter = "invalid_parameter";
    /// <summary>401: no API key, or one the server does not know.</summary>
    public const string Unauthorized = "unauthorized";
    /// <summary>403: the caller is signed in but may not use the API (an app's user with no tenant, or refused by the app's authorization).</summary>
    public const string Forbidden = "forbidden";
    /// <summary>404: no such route.</summary>
    public const string NotFound = "not_found";
    /// <summary>405: the route (or the server) does not accept the method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";
    /// <summary>503 from <c>/readyz</c>: the store does not answer.</summary>
    public const string StoreUnavailable = "store_unavailable";
    /// <summary>500: the server failed to handle the request; the error is logged, never sent.</summary>
    public const string InternalError = "internal_error";
    /// <summary>404 from the gateway: no configured upstream of this name, or the <c>http</c> kind is off.</summary>
    public const string UpstreamNotFound = "upstream_not_found";
    /// <summary>502 from the gateway: the call ended without an upstream answer and without an error code of its own.</summary>
    public const string UpstreamError = "upstream_error";

    // The gateway's answer to a call that produced no upstream answer carries the operation's error code. These are the
    // error codes with a status of their own; any other passes through with upstream_error's status and title.
    /// <summary>504 from the gateway: the upstream did not answer in time.</summary>
    public const string UpstreamTimeout = "upstream_timeout";
    /// <summary>504 from the gateway: the operation's deadline (<c>timeout_seconds</c>) passed first.</summary>
    public const string DeadlineExceeded = "deadline_exceeded";
    /// <summary>409 from the gateway: the call's operation was cancelled.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>503: the server is stopping (a held diagnostics request).</summary>
    public const string ShuttingDown = "shutting_down";
    /// <summary>404: an API call reached a worker-only node.</summary>
    public const string NotAnApiNode = "not_an_api_node";
    /// <summary>403: the API key's scope does not allow the call (a client key claiming work, a worker key starting or reading operations).</summary>
    public const string WrongKeyScope = "wrong_key_scope";
    /// <summary>409: a worker protocol write under a lease that no longer holds (stale epoch, operation finished, another tenant's); nothing changed.</summary>
    public const string LeaseLost = "lease_lost";
    /// <summary>409: a kind registration whose name is a built-in or configured kind, or is registered in an overlapping scope; nothing changed.</summary>
    public const string KindExists = "kind_exists";
    /// <summary>400: a lease token that this server did not issue (malformed or tampered with).</summary>
    public const string LeaseTokenInvalid = "lease_token_invalid";
    /// <summary>Any other error status an endpoint set without a body (the catalog's 400 is the usual one; the answer keeps the endpoint's).</summary>
    public const string HttpError = "http_error";

    // Requests the HTTP server rejects before any route runs (a request line, headers or body framing it cannot accept).
    /// <summary>400 (or another status Kestrel has no code for): the request line, a header or the body framing is malformed.</summary>
    public const string BadRequest = "bad_request";
    /// <summary>408: the headers or the body did not arrive in time.</summary>
    public const string RequestTimeout = "request_timeout";
    /// <summary>411: a body without a length where one is needed.</summary>
    public const string LengthRequired = "length_required";
    /// <summary>414: the request line is longer than the server accepts.</summary>
    public const string UriTooLong = "uri_too_long";
    /// <summary>431: too many header bytes or header fields.</summary>
    public const string RequestHeadersTooLarge = "request_headers_too_large";
    /// <summary>505: an HTTP version the server does not speak.</summary>
    public const string HttpVersionNotSupported = "http_version_not_supported";

    // Admission limits (issue 19): a tenant's limits, its create rate and connections, and failed authentication.
    /// <summary>429: the tenant has as many pending operations as its <c>MaxPending</c> limit; nothing was stored (<c>Retry-After</c> says when to try again).</summary>
    public const string TenantPendingLimit = "tenant_pending_limit";
    /// <summary>429: the API key starts operations faster than its tenant's create rate (<c>Retry-After</c> says when a token is back).</summary>
    public const string RateLimited = "rate_limited";
    /// <summary>429: the tenant holds as many event streams and long-polls on this node as its <c>MaxConnections</c> limit.</summary>
    public const string ConnectionLimit = "connection_limit";
    /// <summary>413: the write would take the tenant's stored bytes (operation files, uploads) past its <c>MaxStoredBytes</c> limit; nothing was stored.</summary>
    public const string StorageLimitExceeded = "storage_limit_exceeded";
    /// <summary>429: too many requests with a wrong API key came from this client address in the window (<c>Retry-After</c> says when the block ends).</summary>
    public const string AuthRateLimited = "auth_rate_limited";
    /// <summary>404: no kind registered at run time has this name in the caller's scope.</summary>
    public const string KindNotFound = "kind_not_found";
    /// <summary>409: a delete of a built-in or configured kind (only kinds registered at run time can be deleted); nothing changed.</summary>
    public const string KindNotDeletable = "kind_not_deletable";
    /// <summary>409: a delete of a kind whose operations are pending or running, without <c>force=true</c>; nothing changed.</summary>
    public const string KindInUse = "kind_in_use";
    /// <summary>
    /// 409: a worker protocol event write (progress, checkpoint with progress, output) past the tenant's
    /// <c>MaxEventsPerOperation</c>: the operation failed with <c>error.code</c> <c>event_limit_exceeded</c> (not retried) and
    /// the write was not stored. Stop working on it, as for <see cref="LeaseLost"/>.
    /// </summary>
    public const string EventLimitExceeded = "event_limit_exceeded";
}
