namespace Longhaul.Import;

/// <summary>The names of the bookkeeping tables an import keeps in its target database, and of its staging table.</summary>
internal static class ImportBookkeeping
{
    public const string StateTable = "longhaul_imports";
    public const string ErrorTable = "longhaul_import_errors";

    /// <summary><c>longhaul_stage_{operation id}</c>, in the table's schema when it names one.</summary>
    public static string StagingTable(string table, string operationId)
    {
        var name = "longhaul_stage_" + operationId;
        var dot = table.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? name : table[..(dot + 1)] + name;
    }
}
