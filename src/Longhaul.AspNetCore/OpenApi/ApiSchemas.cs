namespace Longhaul.AspNetCore.OpenApi;

/// <summary>
/// Schemas of the bodies written by hand (worker protocol, registered kinds, health, SSE events) as JSON Schema
/// literals; the wire types of Longhaul.Contracts get theirs from their serializer (the document transformer exports
/// them with <c>JsonSchemaExporter</c> and the same <c>LonghaulJson</c> options the server writes with).
/// </summary>
internal static class ApiSchemas
{
    /// <summary>Component name → JSON Schema literal.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Any"] = """{"description":"Any JSON value."}""",
        ["Health"] = """{"type":"object","required":["status"],"properties":{"status":{"type":"string","enum":["ok"]}}}""",
        ["Ready"] = """{"type":"object","required":["status"],"properties":{"status":{"type":"string","enum":["ready"]},"warnings":{"type":"array","items":{"type":"object","required":["code","message"],"properties":{"code":{"type":"string"},"message":{"type":"string"}}}}}}""",
        ["StatusEvent"] = """{"type":"object","required":["status","attempt"],"properties":{"status":{"type":"string","enum":["pending","running","succeeded","failed","cancelled"]},"attempt":{"type":"integer"},"cancel_requested":{"type":"boolean"},"reason":{"type":"string"},"retry_at":{"type":"string","format":"date-time"},"error":{"$ref":"#/components/schemas/OperationError"}}}""",
        ["ProgressEvent"] = """{"type":"object","description":"The operation's `progress` and `estimated_completion` after the report."}""",
        ["WarningEvent"] = """{"type":"object","required":["code","message"],"properties":{"code":{"type":"string","examples":["deadline_approaching"]},"message":{"type":"string"},"deadline_at":{"type":"string","format":"date-time"}}}""",
        ["RegisterKindRequest"] = """{"type":"object","additionalProperties":false,"properties":{"description":{"type":"string","minLength":1,"maxLength":1000},"input_schema":{"type":["object","boolean"],"description":"A JSON Schema (object or boolean)."},"max_attempts":{"type":"integer","minimum":1},"timeout_seconds":{"type":"number","exclusiveMinimum":0}}}""",
        ["RegisteredKind"] = """{"type":"object","required":["name","created_at","updated_at"],"properties":{"name":{"type":"string"},"tenant":{"type":["string","null"],"description":"null: every tenant."},"description":{"type":["string","null"]},"input_schema":{},"max_attempts":{"type":["integer","null"]},"timeout_seconds":{"type":["number","null"]},"created_at":{"type":"string","format":"date-time"},"updated_at":{"type":"string","format":"date-time"}}}""",
        ["ClaimRequest"] = """{"type":"object","required":["worker","kinds"],"properties":{"worker":{"type":"string","minLength":1,"maxLength":200},"kinds":{"type":"array","minItems":1,"items":{"type":"string"}},"max":{"type":"integer","minimum":1},"wait_seconds":{"type":"number","minimum":0}}}""",
        ["ClaimedOperation"] = """{"type":"object","required":["id","kind","attempt","input","lease"],"properties":{"id":{"type":"string"},"kind":{"type":"string"},"tenant":{"type":["string","null"]},"attempt":{"type":"integer"},"max_attempts":{"type":"integer"},"input":{},"metadata":{},"checkpoint":{},"progress":{},"created_at":{"type":"string","format":"date-time"},"deadline_at":{"type":["string","null"],"format":"date-time"},"cancel_requested":{"type":"boolean"},"traceparent":{"type":["string","null"]},"lease":{"type":"object","required":["token","expires_at"],"properties":{"token":{"type":"string"},"expires_at":{"type":"string","format":"date-time"},"duration_seconds":{"type":"number"},"heartbeat_interval_seconds":{"type":"number"}}}}}""",
        ["ClaimResponse"] = """{"type":"object","required":["operations"],"properties":{"operations":{"type":"array","items":{"$ref":"#/components/schemas/ClaimedOperation"}}}}""",
        ["HeartbeatRequest"] = """{"type":"object","required":["leases"],"properties":{"leases":{"type":"array","minItems":1,"maxItems":1000,"items":{"type":"string"}},"worker":{"type":"string"}}}""",
        ["HeartbeatResponse"] = """{"type":"object","required":["leases"],"properties":{"leases":{"type":"array","items":{"type":"object","required":["lease","held"],"properties":{"lease":{"type":"string"},"id":{"type":"string"},"held":{"type":"boolean"},"cancel_requested":{"type":"boolean"}}}},"expires_at":{"type":"string","format":"date-time"},"heartbeat_interval_seconds":{"type":"number"}}}""",
        ["LeaseRequest"] = """{"type":"object","required":["lease"],"properties":{"lease":{"type":"string","description":"The lease token of the claim."}}}""",
        ["LeaseProgressRequest"] = """{"type":"object","required":["lease","progress"],"properties":{"lease":{"type":"string"},"progress":{"type":"object","properties":{"percent":{"type":"number"},"current":{"type":"number"},"total":{"type":"number"},"unit":{"type":"string"},"message":{"type":"string"}}},"estimated_completion":{"type":["string","null"],"format":"date-time"}}}""",
        ["LeaseCheckpointRequest"] = """{"type":"object","required":["lease","checkpoint"],"properties":{"lease":{"type":"string"},"checkpoint":{},"progress":{"type":"object"}}}""",
        ["LeaseOutputRequest"] = """{"type":"object","required":["lease","chunks"],"properties":{"lease":{"type":"string"},"chunks":{"type":"array","minItems":1,"items":{}}}}""",
        ["LeaseCompleteRequest"] = """{"type":"object","required":["lease"],"properties":{"lease":{"type":"string"},"result":{}}}""",
        ["LeaseFailRequest"] = """{"type":"object","required":["lease","code","message"],"properties":{"lease":{"type":"string"},"code":{"type":"string","pattern":"^[a-z0-9_]{1,64}$"},"message":{"type":"string"},"details":{"type":"object"},"retryable":{"type":"boolean"}}}""",
        ["LeaseFailResponse"] = """{"type":"object","required":["outcome"],"properties":{"outcome":{"type":"string","enum":["retry","failed"]},"retry_at":{"type":"string","format":"date-time"}}}""",
        ["LeaseWatchRequest"] = """{"type":"object","required":["lease"],"properties":{"lease":{"type":"string"},"wait_seconds":{"type":"number","minimum":0}}}""",
        ["LeaseWatchResponse"] = """{"type":"object","required":["held","cancel_requested"],"properties":{"held":{"type":"boolean"},"cancel_requested":{"type":"boolean"}}}""",
        ["FileFinishRequest"] = """{"type":"object","required":["lease","chunks","length"],"properties":{"lease":{"type":"string"},"chunks":{"type":"integer","minimum":0},"length":{"type":"integer","minimum":0},"content_type":{"type":"string"}}}""",
        ["FileFinishResponse"] = """{"type":"object","required":["url"],"properties":{"url":{"type":"string"}}}""",
        ["WorkerList"] = """{"type":"object","required":["workers"],"properties":{"workers":{"type":"array","items":{"type":"object","required":["name","kinds","status"],"properties":{"name":{"type":"string"},"tenant":{"type":["string","null"],"description":"null: a worker key of every tenant."},"key_id":{"type":["string","null"]},"kinds":{"type":"array","items":{"type":"string"}},"node":{"type":"string","description":"The node that last heard from it."},"first_seen_at":{"type":["string","null"],"format":"date-time"},"last_seen_at":{"type":["string","null"],"format":"date-time"},"last_claim_at":{"type":["string","null"],"format":"date-time"},"running":{"type":"integer","description":"Unexpired leases it holds (of the caller's tenant)."},"status":{"type":"string","enum":["active","idle","gone"]}}}}}}""",
    };
}
