namespace Longhaul.Contracts;

/// <summary>Body of <c>GET /v1/kinds</c>.</summary>
public sealed record KindList
{
    /// <summary>Every kind the server runs, by name.</summary>
    public required IReadOnlyList<KindInfo> Kinds { get; init; }
}
