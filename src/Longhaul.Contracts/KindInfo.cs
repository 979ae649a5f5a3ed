using System.Text.Json;

namespace Longhaul.Contracts;

/// <summary>A kind of operation the server runs.</summary>
public sealed record KindInfo
{
    /// <summary>The kind name to start operations with.</summary>
    public required string Name { get; init; }
    /// <summary>One line about what the kind does; null when the handler has none.</summary>
    public string? Description { get; init; }
    /// <summary>The JSON Schema of the kind's input; null when the handler publishes none.</summary>
    public JsonElement? InputSchema { get; init; }
}
