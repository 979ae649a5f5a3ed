using Longhaul.Databases;
using Microsoft.Extensions.Options;

namespace Longhaul.Import;

/// <summary>Checks <see cref="ImportOptions"/> at start-up, naming the setting in every message; touches no database.</summary>
internal sealed class ImportOptionsValidator : IValidateOptions<ImportOptions>
{
    private const string Section = ImportOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ImportOptions options)
    {
        var errors = new List<string>();
        if (options.MaxRecordBytes is < 1024 or > 64 * 1024 * 1024)
            errors.Add($"{Section}:MaxRecordBytes must be 1024 to 67108864 (is {options.MaxRecordBytes}).");
        if (options.MaxChunkBytes is < 64 * 1024 or > 256 * 1024 * 1024)
            errors.Add($"{Section}:MaxChunkBytes must be 65536 to 268435456 (is {options.MaxChunkBytes}).");
        if (options.MaxReportedErrors is < 0 or > 1_000_000)
            errors.Add($"{Section}:MaxReportedErrors must be 0 to 1000000 (is {options.MaxReportedErrors}).");
        foreach (var (targetName, target) in options.Targets)
        {
            var at = $"{Section}:Targets:{targetName}";
            if (!DatabaseProviders.IsProvider(target.Provider))
                errors.Add($"{at}:Provider must be 'postgres' or 'sqlite' (is '{target.Provider}').");
            if (string.IsNullOrWhiteSpace(target.ConnectionString))
                errors.Add($"{at}:ConnectionString is required.");
            if (target.Tables.Count == 0)
                errors.Add($"{at}:Tables must list at least one table.");
            foreach (var table in target.Tables.Where(t => !SqlNames.IsTableName(t)))
                errors.Add($"{at}:Tables: '{table}' is not a table name (one or two identifiers, schema.table, of letters, digits and '_').");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
