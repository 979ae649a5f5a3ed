using System.Text.Json;

namespace Longhaul.Contracts;

/// <summary>Body of <c>POST /v1/operations</c>.</summary>
public sealed record StartOperationRequest
{
    /// <summary>The kind to run (see <c>GET /v1/kinds</c>); required.</summary>
    public string? Kind { get; init; }
    /// <summary>The kind's input, checked by its handler before anything is stored; required.</summary>
    public JsonElement? Input { get; init; }
    /// <summary>Free JSON stored and echoed on the resource (at most <c>MaxMetadataBytes</c>); optional.</summary>
    public JsonElement? Metadata { get; init; }
    /// <summary>Reserved for the planned completion webhooks: a non-null value is refused with 422 today.</summary>
    public string? CallbackUrl { get; init; }
    /// <summary>Timeout, attempts and priority; server defaults when null.</summary>
    public OperationOptions? Options { get; init; }
}
