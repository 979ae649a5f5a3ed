using System.Data.Common;
using System.Text.Json;

namespace Longhaul.Export;

public sealed partial class ExportHandler
{
    /// <summary>The input type's rules, then the source's allow-list: every error a 422 field error.</summary>
    IReadOnlyDictionary<string, string[]>? IOperationHandler.ValidateInput(JsonElement input)
    {
        var errors = ValidateInput(input);
        if (errors is not null) return errors;
        var typed = input.Deserialize<ExportInput>(LonghaulJsonDefaults.Options)!;
        var found = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var source = _catalog.Source(typed.Source);
        if (source is null)
        {
            found["input.source"] = [$"No export source is named '{typed.Source}'."];
            return found;
        }
        if ((typed.Table is null) == (typed.Query is null))
        {
            found["input.table"] = ["Give either table or query."];
            return found;
        }
        if (typed.Table is { } table && !source.Tables.ContainsKey(table))
        {
            found["input.table"] = [$"Source '{typed.Source}' does not allow table '{table}'."];
            return found;
        }
        if (typed.Query is { } queryName)
        {
            if (!source.Queries.TryGetValue(queryName, out var query))
            {
                found["input.query"] = [$"Source '{typed.Source}' has no query '{queryName}'" + (source.Queries.Count == 0 ? "." : $"; it has: {string.Join(", ", source.Queries.Keys)}.")];
                return found;
            }
            foreach (var (field, messages) in ExportParameters.Validate(query, typed.Parameters)) found[field] = messages;
            if (found.Count > 0) return found;
        }
        else if (typed.Parameters is not null)
        {
            found["input.parameters"] = ["Only a named query takes parameters."];
            return found;
        }
        if (typed.Gzip && typed.Format == "parquet")
        {
            found["input.gzip"] = ["Parquet is compressed inside (Snappy); gzip is for csv and ndjson."];
            return found;
        }
        IReadOnlyList<string> allowed;
        try
        {
            allowed = _catalog.Columns(typed);
        }
        catch (DbException)
        {
            var field = typed.Table is null ? "input.query" : "input.table";
            found[field] = [$"'{typed.Table ?? typed.Query}' of source '{typed.Source}' cannot be read now."];
            return found;
        }
        for (var i = 0; i < (typed.Columns?.Count ?? 0); i++)
        {
            if (!allowed.Contains(typed.Columns![i], StringComparer.Ordinal))
                found[$"input.columns[{i}]"] = [$"Column '{typed.Columns[i]}' is not allowed; allowed: {string.Join(", ", allowed)}."];
        }
        if (typed.Columns is { Count: 0 }) found["input.columns"] = ["Name at least one column, or leave columns out for all."];
        for (var i = 0; i < (typed.Filter?.Count ?? 0); i++)
        {
            var filter = typed.Filter![i];
            if (!allowed.Contains(filter.Column, StringComparer.Ordinal))
                found[$"input.filter[{i}].column"] = [$"Column '{filter.Column}' is not allowed."];
            if (filter.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                found[$"input.filter[{i}].value"] = ["A string, number or boolean."];
        }
        if (typed.ExpiresInSeconds is { } seconds)
        {
            var lifetime = TimeSpan.FromSeconds(seconds);
            if (lifetime < _catalog.Options.MinLinkLifetime || lifetime > _catalog.Options.MaxLinkLifetime)
                found["input.expires_in_seconds"] = [$"Between {_catalog.Options.MinLinkLifetime.TotalSeconds} and {_catalog.Options.MaxLinkLifetime.TotalSeconds} seconds on this server."];
        }
        return found.Count == 0 ? null : found;
    }
}
