using System.Text.Json.Serialization;

namespace Longhaul.Contracts;

/// <summary>The life-cycle state of an operation. Serialized in lower case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OperationStatus>))]
public enum OperationStatus
{
    /// <summary>Waiting to be claimed: new, waiting out a retry's backoff, or handed back.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>A worker holds its lease and runs an attempt.</summary>
    [JsonStringEnumMemberName("running")] Running,

    /// <summary>Final: the handler returned; <c>result</c> holds its value.</summary>
    [JsonStringEnumMemberName("succeeded")] Succeeded,

    /// <summary>Final: a permanent failure, the deadline, or the last attempt failed; <c>error</c> says which.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Final: a client cancelled it.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}
