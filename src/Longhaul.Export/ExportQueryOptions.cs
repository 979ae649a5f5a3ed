namespace Longhaul.Export;

/// <summary>
/// A named query a client may export (<c>Longhaul:Export:Sources:{source}:Queries:{name}</c>): SQL written by the
/// operator, with typed parameters the client gives values for. The values are always bound as parameters
/// (<c>@name</c> in the SQL), never written into it.
/// </summary>
public sealed class ExportQueryOptions
{
    /// <summary>One <c>SELECT</c> (no trailing <c>;</c>); exported as a derived table, so its columns can be chosen, filtered and are ordered by <see cref="Key"/>. Required.</summary>
    public string Sql { get; set; } = "";

    /// <summary>The unique key column(s) of the query's rows, used to order, page and resume. Required.</summary>
    public List<string> Key { get; set; } = [];

    /// <summary>The parameters by name (letters, digits, <c>_</c>), each referenced in <see cref="Sql"/> as <c>@name</c>. Defaults to none.</summary>
    public Dictionary<string, ExportParameterOptions> Parameters { get; set; } = new(StringComparer.Ordinal);
}
