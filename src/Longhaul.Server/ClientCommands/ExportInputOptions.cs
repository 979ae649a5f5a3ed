using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Longhaul.Server.ClientCommands;

/// <summary>The options of <c>longhaul export</c> that make the <c>export</c> kind's input (docs/export.md), and that input.</summary>
internal sealed partial class ExportInputOptions
{
    public Option<string> Source { get; } = new("--source") { Description = "A source the server's operator configured.", Required = true };
    public Option<string?> Table { get; } = new("--table") { Description = "A table or view the source allows (or --query)." };
    public Option<string?> Query { get; } = new("--query") { Description = "A named query of the source (or --table)." };
    public Option<string[]> Params { get; } = new("--param") { Description = "name=value of the named query; repeatable (values typed as for --filter).", AllowMultipleArgumentsPerToken = false };
    public Option<string?> Columns { get; } = new("--columns") { Description = "a,b,c: the columns, in this order (default: every allowed column)." };
    public Option<string[]> Filter { get; } = new("--filter") { Description = "'column op value', op one of = != < <= > >=; repeatable (AND). 42 and 1.5 are numbers, true/false booleans, null null, \"…\" a JSON string, anything else a string.", AllowMultipleArgumentsPerToken = false };
    public Option<string> Format { get; } = new("--format") { Description = "csv (default), ndjson or parquet.", DefaultValueFactory = _ => "csv" };
    public Option<bool> Gzip { get; } = new("--gzip") { Description = "Compress a CSV or NDJSON file with gzip." };
    public Option<bool> NoEscapeFormulas { get; } = new("--no-escape-formulas") { Description = "CSV: leave cells starting with = + - @ as they are (default: prefixed with ')." };
    public Option<int?> ExpiresIn { get; } = new("--expires-in") { Description = "The download link's lifetime in seconds (default: the server's)." };
    public Option<string?> Resume { get; } = new("--resume") { Description = "After a server crash: checkpoint (default) or restart (one snapshot)." };

    public IEnumerable<Option> All => [Source, Table, Query, Params, Columns, Filter, Format, Gzip, NoEscapeFormulas, ExpiresIn, Resume];

    /// <summary>The file name the server gives the export: <c>export.csv</c>, <c>export.ndjson.gz</c>, <c>export.parquet</c>.</summary>
    public static string FileName(JsonObject input)
        => "export." + (string?)input["format"] + (input["gzip"] is JsonValue g && g.GetValue<bool>() ? ".gz" : "");

    /// <summary>The input; null (after a message on stderr) when an option is malformed. The server checks the rest (422).</summary>
    public JsonObject? Build(ParseResult result)
    {
        var input = new JsonObject { ["source"] = result.GetValue(Source) };
        if (result.GetValue(Table) is { } table) input["table"] = table;
        if (result.GetValue(Query) is { } query) input["query"] = query;
        if ((result.GetValue(Params) ?? []) is { Length: > 0 } pairs)
        {
            var parameters = new JsonObject();
            foreach (var pair in pairs)
            {
                if (pair.Split('=', 2) is not [{ Length: > 0 } name, var value]) return Error($"--param '{pair}' is not name=value.");
                parameters[name.Trim()] = Value(value);
            }
            input["parameters"] = parameters;
        }
        if (result.GetValue(Columns) is { } columns)
            input["columns"] = new JsonArray([.. columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => (JsonNode)JsonValue.Create(c))]);
        if ((result.GetValue(Filter) ?? []) is { Length: > 0 } filters)
        {
            var array = new JsonArray();
            foreach (var filter in filters)
            {
                var match = FilterText().Match(filter);
                if (!match.Success) return Error($"--filter '{filter}' is not 'column op value' (op one of = != < <= > >=).");
                array.Add(new JsonObject { ["column"] = match.Groups[1].Value, ["op"] = match.Groups[2].Value, ["value"] = Value(match.Groups[3].Value) });
            }
            input["filter"] = array;
        }
        input["format"] = result.GetValue(Format);
        if (result.GetValue(Gzip)) input["gzip"] = true;
        if (result.GetValue(NoEscapeFormulas)) input["escape_formulas"] = false;
        if (result.GetValue(ExpiresIn) is { } expires) input["expires_in_seconds"] = expires;
        if (result.GetValue(Resume) is { } resume) input["resume"] = resume;
        return input;
    }

    /// <summary>A value as typed on the command line: a JSON number, true/false/null, a quoted JSON string, else the text as a string.</summary>
    public static JsonNode? Value(string text)
    {
        var trimmed = text.Trim();
        if (trimmed is "true" or "false") return JsonValue.Create(trimmed == "true");
        if (trimmed == "null") return null;
        if (JsonNumber().IsMatch(trimmed))
            return long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) ? JsonValue.Create(integer) : JsonNode.Parse(trimmed);
        if (trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"')
        {
            try
            {
                if (JsonNode.Parse(trimmed) is JsonValue quoted) return quoted;
            }
            catch (System.Text.Json.JsonException)
            {
                // Not a JSON string: the text as it is.
            }
        }
        return JsonValue.Create(trimmed);
    }

    private static JsonObject? Error(string message)
    {
        Console.Error.WriteLine($"longhaul: {message}");
        return null;
    }

    [GeneratedRegex(@"^\s*([^\s=!<>]+)\s*(!=|<=|>=|=|<|>)\s?(.*)$", RegexOptions.Singleline)]
    private static partial Regex FilterText();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();
}
