using System.Text.Json.Serialization;

namespace Longhaul.Contracts;

/// <summary>An RFC 9457 problem document with Longhaul's stable <c>code</c>.</summary>
public sealed record Problem
{
    /// <summary>A URI naming the problem type, <c>https://longhaul.dev/problems/{code}</c> with '-' for '_'; <c>about:blank</c> unless set.</summary>
    public string Type { get; init; } = "about:blank";
    /// <summary>A short summary, fixed per code (see <see cref="ProblemCatalog"/>).</summary>
    public required string Title { get; init; }
    /// <summary>The HTTP status of the answer.</summary>
    public int Status { get; init; }
    /// <summary>What went wrong this time, for a human; never exception text.</summary>
    public string? Detail { get; init; }
    /// <summary>The stable, machine-readable code, one of <see cref="ProblemCodes"/> (or, from the gateway, an operation's error code).</summary>
    public required string Code { get; init; }
    /// <summary>The request path the problem is about; left out where the request line itself was malformed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Instance { get; init; }

    /// <summary>Per-field validation messages, keyed by the field's JSON path.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
