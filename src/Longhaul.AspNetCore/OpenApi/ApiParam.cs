namespace Longhaul.AspNetCore.OpenApi;

/// <summary>A query parameter or request header of an endpoint.</summary>
/// <param name="Name">Its name (a header's as sent, e.g. <c>Idempotency-Key</c>).</param>
/// <param name="In"><c>query</c> or <c>header</c>.</param>
/// <param name="Schema">A JSON Schema literal (<c>{…}</c>) or a component name (<c>#Name</c>).</param>
/// <param name="Description">What it does.</param>
/// <param name="Required">Whether it must be sent.</param>
internal sealed record ApiParam(string Name, string In, string Schema, string Description, bool Required = false)
{
    /// <summary>A query parameter.</summary>
    public static ApiParam Query(string name, string schema, string description, bool required = false) => new(name, "query", schema, description, required);

    /// <summary>A request header.</summary>
    public static ApiParam Header(string name, string schema, string description, bool required = false) => new(name, "header", schema, description, required);
}
