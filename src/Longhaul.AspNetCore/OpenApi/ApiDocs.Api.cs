using static Longhaul.AspNetCore.OpenApi.ApiResponse;
using static Longhaul.Contracts.ProblemCodes;

namespace Longhaul.AspNetCore.OpenApi;

/// <summary>Webhooks, tenant views (events, overview, kinds, usage), diagnostics, gateway, health and downloads.</summary>
internal static partial class ApiDocs
{
    public static readonly ApiDoc Deliveries = new("listDeliveries", "Webhooks", "The operation's webhook deliveries and their attempts")
    {
        Responses = [Ok(200, "The deliveries (empty without a `callback_url` or before the final state).", "#WebhookDeliveryList"), Problem(404, NotFound, OperationNotFound)],
    };

    public static readonly ApiDoc Redeliver = new("redeliver", "Webhooks", "Send a delivery again (same `webhook-id`, new retry window)")
    {
        Responses = [Ok(202, "The deliveries as they stand.", "#WebhookDeliveryList"), Problem(404, "No such operation or delivery.", OperationNotFound, DeliveryNotFound)],
    };

    public static readonly ApiDoc Secret = new("getWebhookSecret", "Webhooks", "The tenant's signing secrets (created on first use)")
    {
        Responses = [Ok(200, "The current secret first, then any still signing.", "#WebhookSecretList")],
    };

    public static readonly ApiDoc Rotate = new("rotateWebhookSecret", "Webhooks", "A new current signing secret")
    {
        Parameters = [ApiParam.Query("overlap_seconds", """{"type":"integer","minimum":0,"maximum":2592000}""", "How long the replaced secret keeps signing (default 86400).")],
        Responses = [Ok(200, "The secrets after the rotation.", "#WebhookSecretList"), Problem(400, "A bad `overlap_seconds`.", InvalidParameter)],
    };

    public static readonly ApiDoc ChangeStream = new("streamTenantEvents", "Operations", "One Server-Sent Events stream for a whole list")
    {
        Description = "Every start or change of an operation of the caller's tenant matching the filters, as `event: operation` with the resource; `id:` is the change time in Unix milliseconds. Does not end by itself.",
        Parameters = [.. Filters, ApiParam.Header("Last-Event-ID", Str, "Resend the current resource of every operation changed since then."), ApiParam.Query("after", """{"type":"integer","minimum":0}""", "Same as `Last-Event-ID`.")],
        Responses =
        [
            new(200, "The event stream.") { ContentType = "text/event-stream", Schema = Str, Events = new Dictionary<string, string> { ["operation"] = "#OperationResource" } },
            Problem(400, "A bad filter value.", InvalidParameter),
            ConnectionLimited,
        ],
    };

    public static readonly ApiDoc Overview = new("getOverview", "Tenant", "The caller's tenant at a glance")
    {
        Responses = [Ok(200, "Counts by status and kind, throughput, failure rate, queue depth.", "#OverviewResource")],
    };

    public static readonly ApiDoc Kinds = new("listKinds", "Tenant", "The kinds this server runs, with their input schema")
    {
        Responses = [Ok(200, "Built-in and configured kinds, then the remote kinds registered at run time the caller sees.", "#KindList")],
    };

    public static readonly ApiDoc Usage = new("getUsage", "Tenant", "The tenant's stored bytes, running and pending operations, create rate and connections, each against its limit")
    {
        Access = ApiAccess.ClientOrOperatorKey,
        Parameters = [ApiParam.Query("tenant", Str, "Operator key: one tenant's usage (without it, every known tenant's as `{\"tenants\": […]}`). A client key may name only its own.")],
        Responses =
        [
            new(200, "One tenant's usage; for an operator key without `tenant`, the list of every known tenant's.") { ContentType = "application/json", Schema = """{"oneOf":[{"$ref":"#/components/schemas/StorageUsageResource"},{"$ref":"#/components/schemas/UsageList"}]}""" },
            Problem(400, "A bad `tenant`.", InvalidParameter),
        ],
    };

    public static readonly ApiDoc Hold = new("diagnosticsHold", "Diagnostics", "Hold the request (used by `longhaul probe`)")
    {
        Parameters =
        [
            ApiParam.Query("seconds", """{"type":"number","exclusiveMinimum":0}""", "How long to hold it: above 0, at most `Longhaul:Http:DiagnosticsHoldMax`.", required: true),
            ApiParam.Query("mode", """{"type":"string","enum":["silent","drip"]}""", "Silent, or a space every `interval` seconds."),
            ApiParam.Query("interval", """{"type":"number","exclusiveMinimum":0}""", "Seconds between spaces in `drip` mode (default 2)."),
        ],
        Responses = [new(200, "Ends with `held N`.") { ContentType = "text/plain", Schema = Str }, Problem(400, "Bad parameters.", InvalidParameter), Problem(503, "The server is stopping.", ShuttingDown)],
    };

    public static readonly ApiDoc Proxy = new("gateway", "Gateway", "The async gateway: the request becomes an `http` operation on a configured upstream")
    {
        RelaysUpstreamAnswers = true,
        Parameters =
        [
            ApiParam.Header("Idempotency-Key", """{"type":"string","minLength":1,"maxLength":255}""", "1-255 printable ASCII characters: the same key and request start one operation (tenant-scoped, remembered 24 h)."),
            ApiParam.Header("Prefer", Str, "`wait=N`: relay the upstream's own answer when the call is done within N seconds."),
            ApiParam.Header("Longhaul-Timeout-Seconds", Str, "The operation's `timeout_seconds`, in (0, `MaxTimeout`]."),
            ApiParam.Header("Longhaul-Callback-Url", Str, "The operation's `callback_url` (never forwarded)."),
        ],
        Body = new ApiBody("*/*", """{}""", Required: false),
        Responses =
        [
            Ok(202, "Started as an `http` operation.", "#OperationResource", "Location", "Retry-After", "Longhaul-Operation-Id"),
            Problem(400, "A bad `Longhaul-Timeout-Seconds` or `Idempotency-Key`, or a JSON body that is malformed or not I-JSON.", InvalidParameter, IdempotencyKeyInvalid, MalformedJson, JsonTooDeep, InvalidUnicode, DuplicateMember),
            Problem(404, "No such upstream.", UpstreamNotFound),
            Problem(429, "The API key's create rate is used up, the tenant has `max_pending` pending operations, or (with `Prefer: wait`) its `max_connections` are held.", RateLimited, TenantPendingLimit, ConnectionLimit) with { Headers = ["Retry-After"] },
            Problem(409, "The call was cancelled, or a request with the same `Idempotency-Key` is still in progress.", Cancelled, IdempotencyKeyInFlight),
            Problem(413, "A body over `MaxStartBodyBytes`.", BodyTooLarge),
            Problem(415, "A body that is not UTF-8 text.", UnsupportedMediaType),
            Problem(422, "A method or path the upstream does not allow, a refused `Longhaul-Callback-Url`, or an `Idempotency-Key` reused with another request.", ValidationFailed, IdempotencyKeyReused),
            Problem(502, "The call produced no upstream answer (the operation's error code).", UpstreamError),
            Problem(504, "The call timed out.", UpstreamTimeout, DeadlineExceeded),
            new(-1, "With `Prefer: wait=N` and a call done in time: the upstream's own status, headers and body (any status is relayed).") { ContentType = "*/*", Schema = "{}", Headers = ["Longhaul-Operation-Id"] },
        ],
    };

    public static readonly ApiDoc Health = new("healthz", "Health", "The process is up") { Access = ApiAccess.Anonymous, Responses = [Ok(200, "Alive.", "#Health")] };

    public static readonly ApiDoc Ready = new("readyz", "Health", "The store answers")
    {
        Access = ApiAccess.Anonymous,
        Responses = [Ok(200, "Ready, with the store's start-up warnings if any.", "#Ready"), Problem(503, "The store is not reachable.", StoreUnavailable)],
    };

    public static readonly ApiDoc Metrics = new("metrics", "Health", "Longhaul's meters in the Prometheus text format")
    {
        Access = ApiAccess.Anonymous,
        Responses = [new(200, "The meters.") { ContentType = "text/plain", Schema = Str }],
    };

    public static readonly ApiDoc Download = new("downloadExportFile", "Exports", "An export file behind its signed, expiring link (no API key)")
    {
        Access = ApiAccess.Anonymous,
        Parameters =
        [
            ApiParam.Query("tenant", Str, "As in the link.", required: true),
            ApiParam.Query("expires", Str, "As in the link (Unix seconds).", required: true),
            ApiParam.Query("signature", Str, "As in the link.", required: true),
            ApiParam.Header("Range", Str, "One byte range."),
            ApiParam.Header("If-Range", Str, "The `ETag` of the first answer."),
        ],
        Responses = FileResponses(
            Problem(403, "A link not issued as given (signature, file, tenant or expiry changed).", Forbidden),
            Problem(404, "The operation was deleted, or it has no such file.", OperationNotFound, FileNotFound),
            Problem(410, "At or after `expires`.", LinkExpired)),
    };
}
