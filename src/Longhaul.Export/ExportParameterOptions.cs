namespace Longhaul.Export;

/// <summary>One typed parameter of a named query (<c>…:Queries:{query}:Parameters:{name}</c>).</summary>
public sealed class ExportParameterOptions
{
    /// <summary>
    /// <c>string</c>, <c>integer</c> (64-bit), <c>number</c> (decimal), <c>boolean</c> or <c>timestamp</c> (ISO 8601
    /// with an offset, bound in UTC). Required.
    /// </summary>
    public string Type { get; set; } = "";

    /// <summary>Whether the client must give a value; an optional parameter left out is bound as SQL NULL. Defaults to true.</summary>
    public bool Required { get; set; } = true;

    /// <summary>The types a parameter may have.</summary>
    internal static readonly string[] Types = ["string", "integer", "number", "boolean", "timestamp"];
}
