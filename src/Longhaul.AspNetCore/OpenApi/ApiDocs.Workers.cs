using static Longhaul.AspNetCore.OpenApi.ApiResponse;
using static Longhaul.Contracts.ProblemCodes;

namespace Longhaul.AspNetCore.OpenApi;

/// <summary>The worker protocol (worker key), kind registration and the worker list.</summary>
internal static partial class ApiDocs
{
    private const string Wk = "Worker protocol";

    public static readonly ApiDoc Claim = new("claim", Wk, "Claim operations of remote kinds")
    {
        Access = ApiAccess.WorkerKey,
        Body = ApiBody.Json("#ClaimRequest"),
        Responses = [Ok(200, "The claimed operations (maybe none).", "#ClaimResponse"), ConnectionLimited],
    };

    public static readonly ApiDoc Heartbeat = Lease("heartbeat", "Renew leases", "#HeartbeatRequest", Ok(200, "Which leases held.", "#HeartbeatResponse"));
    public static readonly ApiDoc Progress = EventLease("reportProgress", "Report progress (a `progress` event)", "#LeaseProgressRequest", Empty(204, "Written."));
    public static readonly ApiDoc Checkpoint = EventLease("saveCheckpoint", "Save a checkpoint (and progress) in one durable write", "#LeaseCheckpointRequest", Empty(204, "Written."));
    public static readonly ApiDoc Output = EventLease("appendOutput", "Append output chunks (one `output` event each)", "#LeaseOutputRequest", Empty(204, "Written."));
    public static readonly ApiDoc Complete = Lease("complete", "Succeeded, with an optional result", "#LeaseCompleteRequest", Empty(204, "Succeeded."));
    public static readonly ApiDoc Fail = Lease("fail", "Failed: retried with attempts left, else failed", "#LeaseFailRequest", Ok(200, "The outcome.", "#LeaseFailResponse"));
    public static readonly ApiDoc LeaseCancelled = Lease("cancelled", "Cancelled, after a requested cancel", "#LeaseRequest", Empty(204, "Cancelled."));
    public static readonly ApiDoc HandBack = Lease("handBack", "Pending again at once, the attempt not counted", "#LeaseRequest", Empty(204, "Handed back."));
    public static readonly ApiDoc Watch = Lease("watchLease", "Long-poll until a cancel is requested or the lease stops holding", "#LeaseWatchRequest", Ok(200, "Whether it holds and a cancel is requested.", "#LeaseWatchResponse"), ConnectionLimited);
    public static readonly ApiDoc FileFinish = Lease("finishFile", "Finish an operation file from its chunks", "#FileFinishRequest", Ok(200, "Where it is served.", "#FileFinishResponse"));

    public static readonly ApiDoc FileChunk = new("putFileChunk", Wk, "Upload one chunk (1 MiB but the last) of an operation file")
    {
        Access = ApiAccess.WorkerKey,
        Parameters = [ApiParam.Header("Longhaul-Lease", Str, "The lease token.", required: true)],
        Body = new ApiBody("application/octet-stream", """{"type":"string","format":"binary"}"""),
        Responses =
        [
            Empty(204, "Stored."),
            Problem(400, "A lease token this server did not issue.", LeaseTokenInvalid),
            Problem(409, "The lease no longer holds.", LeaseLost),
            Problem(413, "A chunk larger than 1 MiB.", BodyTooLarge),
            StorageLimited,
            Problem(422, "A bad file name or index.", ValidationFailed),
        ],
    };

    public static readonly ApiDoc RegisterKind = new("registerKind", "Tenant", "Register (or replace) a remote kind at run time")
    {
        Access = ApiAccess.WorkerKey,
        Body = ApiBody.Json("#RegisterKindRequest"),
        Responses = [Ok(201, "Registered.", "#RegisteredKind"), Ok(200, "Replaced.", "#RegisteredKind"), Problem(409, "The name is taken.", KindExists)],
    };

    public static readonly ApiDoc WorkerList = new("listWorkers", "Tenant", "The remote workers any node heard from (stored), most recently seen first")
    {
        Responses = [Ok(200, "The workers.", "#WorkerList")],
    };

    private static ApiDoc Lease(string id, string summary, string body, ApiResponse ok, params ApiResponse[] more) => new(id, Wk, summary)
    {
        Access = ApiAccess.WorkerKey,
        Body = ApiBody.Json(body),
        Responses =
        [
            ok,
            Problem(400, "A lease token this server did not issue.", LeaseTokenInvalid),
            Problem(409, "The lease no longer holds (a later claim, finished, cancelled, reaped, another tenant's).", LeaseLost),
            .. more,
        ],
    };

    /// <summary>A lease write that appends events: its 409 also answers <c>event_limit_exceeded</c> (the tenant's <c>MaxEventsPerOperation</c>).</summary>
    private static ApiDoc EventLease(string id, string summary, string body, ApiResponse ok) => new(id, Wk, summary)
    {
        Access = ApiAccess.WorkerKey,
        Body = ApiBody.Json(body),
        Responses =
        [
            ok,
            Problem(400, "A lease token this server did not issue.", LeaseTokenInvalid),
            Problem(409, "The lease no longer holds (a later claim, finished, cancelled, reaped, another tenant's), or the write passed the tenant's MaxEventsPerOperation and the operation failed with event_limit_exceeded.", LeaseLost, EventLimitExceeded),
        ],
    };
}
