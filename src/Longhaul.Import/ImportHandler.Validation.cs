using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace Longhaul.Import;

public sealed partial class ImportHandler
{
    /// <summary>The input type's rules, then the target's allow-list and the table's columns: every error a 422 field error.</summary>
    IReadOnlyDictionary<string, string[]>? IOperationHandler.ValidateInput(JsonElement input)
    {
        var errors = ValidateInput(input);
        if (errors is not null) return errors;
        var typed = input.Deserialize<ImportInput>(LonghaulJsonDefaults.Options)!;
        var found = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!UploadIds.IsWellFormed(typed.Upload)) found["input.upload"] = ["An upload id (up_…) from /v1/uploads."];
        if (typed.Csv is not null && typed.Format != "csv") found["input.csv"] = ["Only with format csv."];
        var target = _catalog.Target(typed.Target);
        if (target is null)
        {
            found["input.target"] = [$"No import target is named '{typed.Target}'."];
            return found;
        }
        if (!target.Tables.Contains(typed.Table, StringComparer.Ordinal))
        {
            found["input.table"] = [$"Target '{typed.Target}' does not allow table '{typed.Table}'."];
            return found;
        }
        IReadOnlyList<TargetColumn> columns;
        try
        {
            columns = _catalog.Columns(typed.Target, typed.Table);
        }
        catch (DbException)
        {
            found["input.table"] = [$"Table '{typed.Table}' of target '{typed.Target}' cannot be read now."];
            return found;
        }
        var headerless = typed.Format == "csv" && typed.Csv is { Header: false };
        if (headerless && typed.Mapping is null) found["input.mapping"] = ["A CSV without a header needs a mapping from column numbers (\"1\", \"2\", …) to table columns."];
        if (typed.Mapping is { Count: 0 }) found["input.mapping"] = ["Map at least one column, or leave mapping out for same-named columns."];
        foreach (var (source, name) in typed.Mapping ?? new Dictionary<string, string>())
        {
            var column = columns.FirstOrDefault(c => c.Name == name);
            if (column is null) found[$"input.mapping.{source}"] = [$"'{name}' is not a column of {typed.Table}; it has {string.Join(", ", columns.Select(c => c.Name))}."];
            else if (column.Kind is null) found[$"input.mapping.{source}"] = [$"Column '{name}' has type {column.TypeName}, which the import does not load."];
            if (headerless && (!int.TryParse(source, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1))
                found[$"input.mapping.{source}"] = ["Without a header, sources are column numbers from 1."];
        }
        if (typed.Mapping is not null && typed.Mapping.Values.Distinct(StringComparer.Ordinal).Count() != typed.Mapping.Count)
            found["input.mapping"] = ["Each table column may be fed by one source only."];
        return found.Count == 0 ? null : found;
    }
}
