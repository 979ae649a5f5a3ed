using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Longhaul.Tests.TypedKinds;

/// <summary>A nested input object with a rule across its members (<see cref="IValidatableObject"/>).</summary>
public sealed record PackAddress : IValidatableObject
{
    [Description("Street and number."), StringLength(40, MinimumLength = 1)]
    public required string Street { get; init; }

    [Description("Five-digit post code."), RegularExpression("^[0-9]{5}$")]
    public required string Zip { get; init; }

    [Description("ISO country code; XX is refused.")]
    public string Country { get; init; } = "DE";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Country == "XX") yield return new ValidationResult("XX is not a country we ship to", [nameof(Country)]);
    }
}
