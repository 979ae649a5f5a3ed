using System.Text.Json.Nodes;

namespace Longhaul.Tests.OpenApi;

/// <summary>One generated request: for an operation of the document, its path, headers and body, valid or not.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Template">The document's path template, e.g. <c>/v1/operations/{id}</c>.</param>
/// <param name="Target">Path and query as sent.</param>
/// <param name="Headers">Request headers.</param>
/// <param name="ContentType">The body's media type, null without a body.</param>
/// <param name="Body">The body.</param>
public sealed record RequestProbe(string Method, string Template, string Target, IReadOnlyList<(string Name, string Value)> Headers, string? ContentType, byte[]? Body)
{
    /// <summary>The operation object of the document.</summary>
    public required JsonObject Operation { get; init; }

    /// <inheritdoc />
    public override string ToString()
        => $"{Method} {Target} [{string.Join(", ", Headers.Select(h => h.Name + ": " + h.Value))}] {ContentType} {(Body is null ? "" : System.Text.Encoding.UTF8.GetString(Body))}";
}
