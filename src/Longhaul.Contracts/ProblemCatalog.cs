using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Longhaul.Contracts;

/// <summary>
/// Every problem code with its status and title: the one table the server writes problem documents from, and the one
/// docs/http-api.md lists. Each code of <see cref="ProblemCodes"/> has exactly one entry.
/// </summary>
public static class ProblemCatalog
{
    /// <summary>Every definition, in the order of <see cref="ProblemCodes"/>.</summary>
    public static IReadOnlyList<ProblemDefinition> All { get; } =
    [
        new(ProblemCodes.OperationNotFound, 404, "Operation not found"),
        new(ProblemCodes.FileNotFound, 404, "File not found"),
        new(ProblemCodes.DeliveryNotFound, 404, "Delivery not found"),
        new(ProblemCodes.LinkExpired, 410, "Download link expired"),
        new(ProblemCodes.UploadNotFound, 404, "Upload not found"),
        new(ProblemCodes.UploadExpired, 410, "Upload expired"),
        new(ProblemCodes.UploadOffsetMismatch, 409, "Upload offset mismatch"),
        new(ProblemCodes.UploadTooLarge, 413, "Upload too large"),
        new(ProblemCodes.ChecksumMismatch, 460, "Checksum mismatch"),
        new(ProblemCodes.TusVersionUnsupported, 412, "tus version not supported"),
        new(ProblemCodes.RangeNotSatisfiable, 416, "Range not satisfiable"),
        new(ProblemCodes.ValidationFailed, 422, "Validation failed"),
        new(ProblemCodes.MalformedJson, 400, "Malformed JSON"),
        new(ProblemCodes.JsonTooDeep, 400, "JSON nested too deeply"),
        new(ProblemCodes.InvalidUnicode, 400, "Invalid Unicode in JSON"),
        new(ProblemCodes.DuplicateMember, 400, "Duplicate member name in JSON"),
        new(ProblemCodes.BodyTooLarge, 413, "Request body too large"),
        new(ProblemCodes.UnsupportedMediaType, 415, "Unsupported media type"),
        new(ProblemCodes.IdempotencyKeyInvalid, 400, "Invalid Idempotency-Key"),
        new(ProblemCodes.IdempotencyKeyReused, 422, "Idempotency-Key reused"),
        new(ProblemCodes.IdempotencyKeyInFlight, 409, "Request in progress"),
        new(ProblemCodes.OperationTerminal, 409, "Operation already finished"),
        new(ProblemCodes.OperationNotTerminal, 409, "Operation not finished"),
        new(ProblemCodes.InvalidParameter, 400, "Invalid parameter"),
        new(ProblemCodes.Unauthorized, 401, "Unauthorized"),
        new(ProblemCodes.Forbidden, 403, "Forbidden"),
        new(ProblemCodes.NotFound, 404, "Not found"),
        new(ProblemCodes.MethodNotAllowed, 405, "Method not allowed"),
        new(ProblemCodes.StoreUnavailable, 503, "Not ready"),
        new(ProblemCodes.InternalError, 500, "Internal error"),
        new(ProblemCodes.UpstreamNotFound, 404, "Upstream not found"),
        new(ProblemCodes.UpstreamError, 502, "Upstream call failed"),
        new(ProblemCodes.UpstreamTimeout, 504, "Upstream timed out"),
        new(ProblemCodes.DeadlineExceeded, 504, "Operation timed out"),
        new(ProblemCodes.Cancelled, 409, "Operation cancelled"),
        new(ProblemCodes.ShuttingDown, 503, "Shutting down"),
        new(ProblemCodes.NotAnApiNode, 404, "Not an API node"),
        new(ProblemCodes.WrongKeyScope, 403, "Wrong key scope"),
        new(ProblemCodes.LeaseLost, 409, "Lease lost"),
        new(ProblemCodes.KindExists, 409, "Kind exists"),
        new(ProblemCodes.LeaseTokenInvalid, 400, "Invalid lease token"),
        new(ProblemCodes.HttpError, 400, "Request failed"),
        new(ProblemCodes.BadRequest, 400, "Bad request"),
        new(ProblemCodes.RequestTimeout, 408, "Request timeout"),
        new(ProblemCodes.LengthRequired, 411, "Length required"),
        new(ProblemCodes.UriTooLong, 414, "URI too long"),
        new(ProblemCodes.RequestHeadersTooLarge, 431, "Request headers too large"),
        new(ProblemCodes.HttpVersionNotSupported, 505, "HTTP version not supported"),
        new(ProblemCodes.TenantPendingLimit, 429, "Too many pending operations"),
        new(ProblemCodes.RateLimited, 429, "Too many requests"),
        new(ProblemCodes.ConnectionLimit, 429, "Too many connections"),
        new(ProblemCodes.StorageLimitExceeded, 413, "Storage limit exceeded"),
        new(ProblemCodes.AuthRateLimited, 429, "Too many failed authentication attempts"),
        new(ProblemCodes.KindNotFound, 404, "Kind not found"),
        new(ProblemCodes.KindNotDeletable, 409, "Kind not deletable"),
        new(ProblemCodes.KindInUse, 409, "Kind in use"),
        new(ProblemCodes.EventLimitExceeded, 409, "Event limit exceeded"),
    ];

    private static readonly FrozenDictionary<string, ProblemDefinition> ByCode = All.ToFrozenDictionary(d => d.Code, StringComparer.Ordinal);

    /// <summary>The definition of <paramref name="code"/>; throws <see cref="KeyNotFoundException"/> for a code not in the catalog.</summary>
    public static ProblemDefinition Get(string code)
        => ByCode.TryGetValue(code, out var definition) ? definition : throw new KeyNotFoundException($"'{code}' is not a problem code of the catalog.");

    /// <summary>Looks up <paramref name="code"/>; false for a code not in the catalog (for example an operation's own error code).</summary>
    public static bool TryGet(string code, [NotNullWhen(true)] out ProblemDefinition? definition) => ByCode.TryGetValue(code, out definition);
}
