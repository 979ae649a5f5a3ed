using System.Text.Json.Serialization;

namespace Longhaul.Contracts;

/// <summary>One page of <c>GET /v1/operations</c>.</summary>
public sealed record OperationList
{
    /// <summary>This page's operations, newest first.</summary>
    public required IReadOnlyList<OperationResource> Operations { get; init; }
    /// <summary>An opaque token for the next page (valid only with the same API key and filters); null on the last page.</summary>
    public string? NextPageToken { get; init; }
    /// <summary>With <c>count=true</c>: how many operations match the filters (all pages); absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? TotalCount { get; init; }
    /// <summary>With <c>count=true</c>: false when counting stopped at the scan limit, so <see cref="TotalCount"/> is a lower bound.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? TotalCountExact { get; init; }
}
