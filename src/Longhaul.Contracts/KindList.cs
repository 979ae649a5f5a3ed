namespace Longhaul.Contracts;

/// <summary>Body of <c>GET /v1/kinds</c>.</summary>
public sealed record KindList
{
    public required IReadOnlyList<KindInfo> Kinds { get; init; }
}
