using Longhaul.Databases;
using Microsoft.Extensions.Options;

namespace Longhaul.Export;

/// <summary>Checks <see cref="ExportOptions"/> at start-up, naming the setting in every message; touches no database.</summary>
internal sealed class ExportOptionsValidator : IValidateOptions<ExportOptions>
{
    private const string Section = ExportOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ExportOptions options)
    {
        var errors = new List<string>();
        if (options.CheckpointBytes is < 4096 or > 1L << 30)
            errors.Add($"{Section}:CheckpointBytes must be 4096 to 1073741824 (is {options.CheckpointBytes}).");
        if (options.MinLinkLifetime <= TimeSpan.Zero)
            errors.Add($"{Section}:MinLinkLifetime must be positive (is {options.MinLinkLifetime}).");
        if (options.MaxLinkLifetime < options.MinLinkLifetime)
            errors.Add($"{Section}:MaxLinkLifetime ({options.MaxLinkLifetime}) must not be shorter than MinLinkLifetime ({options.MinLinkLifetime}).");
        if (options.LinkLifetime < options.MinLinkLifetime || options.LinkLifetime > options.MaxLinkLifetime)
            errors.Add($"{Section}:LinkLifetime ({options.LinkLifetime}) must lie between MinLinkLifetime and MaxLinkLifetime.");
        if (options.PublicBaseUrl.Length > 0 && (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https")))
            errors.Add($"{Section}:PublicBaseUrl must be an absolute http(s) URL (is '{options.PublicBaseUrl}').");
        foreach (var (sourceName, source) in options.Sources)
        {
            var at = $"{Section}:Sources:{sourceName}";
            if (!DatabaseProviders.IsProvider(source.Provider))
                errors.Add($"{at}:Provider must be 'postgres' or 'sqlite' (is '{source.Provider}').");
            if (string.IsNullOrWhiteSpace(source.ConnectionString))
                errors.Add($"{at}:ConnectionString is required.");
            if (source.Tables.Count == 0 && source.Queries.Count == 0)
                errors.Add($"{at}:Tables must list at least one table or view (or Queries one query).");
            foreach (var (queryName, query) in source.Queries)
            {
                var q = $"{at}:Queries:{queryName}";
                if (!ExportSql.IsIdentifier(queryName))
                    errors.Add($"{q}: a query name is letters, digits and '_'.");
                if (string.IsNullOrWhiteSpace(query.Sql) || query.Sql.TrimEnd().EndsWith(';'))
                    errors.Add($"{q}:Sql must be one SELECT without a trailing ';'.");
                if (query.Key.Count == 0)
                    errors.Add($"{q}:Key must name the unique key column(s) of the query's rows, used to order, page and resume.");
                foreach (var column in query.Key.Where(c => !ExportSql.IsIdentifier(c)))
                    errors.Add($"{q}: key column '{column}' is not an identifier of letters, digits and '_'.");
                foreach (var (parameterName, parameter) in query.Parameters)
                {
                    if (!ExportSql.IsIdentifier(parameterName) || parameterName.StartsWith("export_", StringComparison.Ordinal))
                        errors.Add($"{q}:Parameters:{parameterName}: a parameter name is letters, digits and '_', not starting with 'export_'.");
                    if (!ExportParameterOptions.Types.Contains(parameter.Type))
                        errors.Add($"{q}:Parameters:{parameterName}:Type must be one of {string.Join(", ", ExportParameterOptions.Types)} (is '{parameter.Type}').");
                }
            }
            foreach (var (tableName, table) in source.Tables)
            {
                if (!SqlNames.IsTableName(tableName))
                    errors.Add($"{at}:Tables:{tableName}: a table name is one or two identifiers (schema.table) of letters, digits and '_'.");
                if (table.Key.Count == 0)
                    errors.Add($"{at}:Tables:{tableName}:Key must name the unique key column(s) used to page and resume.");
                foreach (var column in table.Key.Concat(table.Columns).Where(c => !SqlNames.IsIdentifier(c)))
                    errors.Add($"{at}:Tables:{tableName}: column '{column}' is not an identifier of letters, digits and '_'.");
                if (table.Columns.Count > 0 && table.Key.Except(table.Columns, StringComparer.Ordinal).Any())
                    errors.Add($"{at}:Tables:{tableName}:Columns must include the key column(s) {string.Join(", ", table.Key)}.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
