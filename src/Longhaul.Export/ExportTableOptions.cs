namespace Longhaul.Export;

/// <summary>One table or view a client may export (<c>Longhaul:Export:Sources:{source}:Tables:{table}</c>).</summary>
public sealed class ExportTableOptions
{
    /// <summary>The unique key column(s) rows are ordered and resumed by (keyset paging). Required; integer or text columns.</summary>
    public List<string> Key { get; set; } = [];

    /// <summary>The columns a client may export and filter on. Defaults to empty: every column, discovered from the database at first use.</summary>
    public List<string> Columns { get; set; } = [];
}
