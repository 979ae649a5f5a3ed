using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Longhaul.Tests.TypedKinds;

/// <summary>The test kind <c>pack</c>'s input: required, optional, bounded, patterned, nested and listed members.</summary>
[Description("An order to pack.")]
public sealed record PackInput
{
    [Description("Who the order is for."), StringLength(20, MinimumLength = 2)]
    public required string Customer { get; init; }

    [Description("Order code, e.g. ABC-1234."), RegularExpression("^[A-Z]{3}-[0-9]{4}$")]
    public required string Code { get; init; }

    [Description("How many items."), Range(1, 50)]
    public int Quantity { get; init; } = 1;

    [Description("Wrap it as a gift.")]
    public bool Gift { get; init; }

    [Description("Where to send it.")]
    public required PackAddress Address { get; init; }

    [Description("Labels to print."), MaxLength(3)]
    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Note { get; init; }
}
