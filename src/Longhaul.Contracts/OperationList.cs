namespace Longhaul.Contracts;

/// <summary>One page of <c>GET /v1/operations</c>.</summary>
public sealed record OperationList
{
    public required IReadOnlyList<OperationResource> Operations { get; init; }
    public string? NextPageToken { get; init; }
}
