using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Longhaul.Export;

/// <summary>One comparison of an allowed column with a value; the value is sent as a query parameter.</summary>
public sealed record ExportFilter
{
    /// <summary>An allowed column of the table.</summary>
    [Description("An allowed column of the table."), MinLength(1)]
    public required string Column { get; init; }

    /// <summary>One of <c>=</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>.</summary>
    [Description("One of =, !=, <, <=, >, >=."), RegularExpression("^(=|!=|<|<=|>|>=)$")]
    public required string Op { get; init; }

    /// <summary>A string, number or boolean compared with the column.</summary>
    [Description("A string, number or boolean compared with the column.")]
    public required JsonElement Value { get; init; }
}
