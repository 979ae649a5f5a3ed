namespace Longhaul.AspNetCore.OpenApi;

/// <summary>A request body: its media type and schema.</summary>
/// <param name="ContentType">e.g. <c>application/json</c> or <c>application/offset+octet-stream</c>.</param>
/// <param name="Schema">A JSON Schema literal (<c>{…}</c>) or a component name (<c>#Name</c>).</param>
/// <param name="Required">Whether a body must be sent.</param>
internal sealed record ApiBody(string ContentType, string Schema, bool Required = true)
{
    /// <summary>Whether it passes the JSON body gate (400 for bad JSON, 413, 415, 422 naming fields).</summary>
    public bool IsJson => ContentType == "application/json";

    /// <summary>A JSON body with the given schema.</summary>
    public static ApiBody Json(string schema) => new("application/json", schema);
}
