using System.Data;
using System.Globalization;
using System.Text.Json;

namespace Longhaul.Export;

/// <summary>A client's values for a named query's typed parameters: checked against the declaration, then converted for binding.</summary>
internal static class ExportParameters
{
    /// <summary>Every problem with <paramref name="given"/>, keyed by field path (<c>input.parameters.since</c>).</summary>
    public static Dictionary<string, string[]> Validate(ExportQueryOptions query, JsonElement? given)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (given is { } g && g.ValueKind != JsonValueKind.Object)
        {
            errors["input.parameters"] = ["An object of the query's parameters."];
            return errors;
        }
        if (given is { } supplied)
        {
            foreach (var member in supplied.EnumerateObject())
            {
                if (!query.Parameters.TryGetValue(member.Name, out var declared))
                    errors[$"input.parameters.{member.Name}"] = [$"The query has no parameter '{member.Name}'; it has: {string.Join(", ", query.Parameters.Keys)}."];
                else if (Convert(declared, member.Value) is null && member.Value.ValueKind != JsonValueKind.Null)
                    errors[$"input.parameters.{member.Name}"] = [$"A {Describe(declared.Type)}."];
                else if (member.Value.ValueKind == JsonValueKind.Null && declared.Required)
                    errors[$"input.parameters.{member.Name}"] = ["Required; null is not a value here."];
            }
        }
        foreach (var (name, declared) in query.Parameters)
        {
            if (declared.Required && !(given is { } s && s.TryGetProperty(name, out _)))
                errors[$"input.parameters.{name}"] = [$"Required: a {Describe(declared.Type)}."];
        }
        return errors;
    }

    /// <summary>The values to bind (<see cref="DBNull"/> for an optional one left out), by parameter name; assumes <see cref="Validate"/> passed.</summary>
    public static Dictionary<string, (object Value, DbType Type)> Bind(ExportQueryOptions query, JsonElement? given)
    {
        var values = new Dictionary<string, (object, DbType)>(StringComparer.Ordinal);
        foreach (var (name, declared) in query.Parameters)
        {
            var value = given is { } g && g.TryGetProperty(name, out var v) ? Convert(declared, v) : null;
            values[name] = (value ?? DBNull.Value, DbTypeOf(declared.Type));
        }
        return values;
    }

    private static object? Convert(ExportParameterOptions declared, JsonElement value) => declared.Type switch
    {
        "string" when value.ValueKind == JsonValueKind.String => value.GetString(),
        "integer" when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l) => l,
        "number" when value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) => d,
        "boolean" when value.ValueKind is JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
        "timestamp" when value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            && HasOffset(value.GetString()!) => t.UtcDateTime,
        _ => null,
    };

    /// <summary>A timestamp without an offset would be read in the server's zone: refused rather than guessed.</summary>
    private static bool HasOffset(string text) => text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static DbType DbTypeOf(string type) => type switch
    {
        "integer" => DbType.Int64,
        "number" => DbType.Decimal,
        "boolean" => DbType.Boolean,
        "timestamp" => DbType.DateTime,
        _ => DbType.String,
    };

    private static string Describe(string type) => type switch
    {
        "integer" => "JSON integer (64-bit)",
        "number" => "JSON number",
        "boolean" => "JSON boolean",
        "timestamp" => "string with an ISO 8601 date and time with an offset (2026-01-31T00:00:00Z)",
        _ => "JSON string",
    };
}
