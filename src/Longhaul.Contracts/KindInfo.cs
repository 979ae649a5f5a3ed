using System.Text.Json;

namespace Longhaul.Contracts;

/// <summary>A kind of operation the server runs.</summary>
public sealed record KindInfo
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public JsonElement? InputSchema { get; init; }
}
