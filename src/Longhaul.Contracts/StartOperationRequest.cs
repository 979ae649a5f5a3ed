using System.Text.Json;

namespace Longhaul.Contracts;

/// <summary>Body of <c>POST /v1/operations</c>.</summary>
public sealed record StartOperationRequest
{
    public string? Kind { get; init; }
    public JsonElement? Input { get; init; }
    public JsonElement? Metadata { get; init; }
    public string? CallbackUrl { get; init; }
    public OperationOptions? Options { get; init; }
}
