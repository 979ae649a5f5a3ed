using System.Text.Json.Serialization;

namespace Longhaul.Contracts;

/// <summary>An RFC 9457 problem document with Longhaul's stable <c>code</c>.</summary>
public sealed record Problem
{
    public string Type { get; init; } = "about:blank";
    public required string Title { get; init; }
    public int Status { get; init; }
    public string? Detail { get; init; }
    public required string Code { get; init; }
    public string? Instance { get; init; }

    /// <summary>Per-field validation messages, keyed by the field's JSON path.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
