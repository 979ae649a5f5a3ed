namespace Longhaul.AspNetCore.OpenApi;

/// <summary>One answer of an endpoint.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Description">When it is given.</param>
internal sealed record ApiResponse(int Status, string Description)
{
    /// <summary>The body's media type (null: no body). Problem answers use <c>application/problem+json</c>.</summary>
    public string? ContentType { get; init; }

    /// <summary>A JSON Schema literal (<c>{…}</c>) or a component name (<c>#Name</c>).</summary>
    public string? Schema { get; init; }

    /// <summary>Response headers, by name of <see cref="ApiHeaders"/>.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>The problem codes this answer may carry (its body is then a problem document).</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];

    /// <summary>Server-Sent Events: event name → data schema (<c>#Name</c> or literal).</summary>
    public IReadOnlyDictionary<string, string>? Events { get; init; }

    /// <summary>A JSON answer.</summary>
    public static ApiResponse Ok(int status, string description, string schema, params string[] headers)
        => new(status, description) { ContentType = "application/json", Schema = schema, Headers = headers };

    /// <summary>A problem document with one of <paramref name="codes"/> (their status must be <paramref name="status"/> or vary).</summary>
    public static ApiResponse Problem(int status, string description, params string[] codes)
        => new(status, description) { ContentType = "application/problem+json", Schema = "#Problem", Codes = codes };

    /// <summary>An answer without a body.</summary>
    public static ApiResponse Empty(int status, string description, params string[] headers) => new(status, description) { Headers = headers };
}
