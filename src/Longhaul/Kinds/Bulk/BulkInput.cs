using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Longhaul.Listing;

namespace Longhaul.Kinds.Bulk;

/// <summary>
/// The input of the <c>bulk</c> kind: an action and the list filters of <c>GET /v1/operations</c> (same names, same
/// rules). At least one filter is required, so "everything" is never one empty request away.
/// </summary>
public sealed record BulkInput : IValidatableObject
{
    /// <summary><c>cancel</c> (unfinished operations) or <c>delete</c> (finished ones).</summary>
    [Description("cancel or delete."), Required, RegularExpression("^(cancel|delete)$")]
    public required string Action { get; init; }

    /// <summary>Statuses, comma-separated, as the list's <c>status</c>.</summary>
    [Description("Statuses, comma-separated (running,pending).")]
    public string? Status { get; init; }

    /// <summary>A kind name.</summary>
    [Description("A kind name."), StringLength(ListFilterRules.MaxKindLength, MinimumLength = 1)]
    public string? Kind { get; init; }

    /// <summary>Only operations created at or after this RFC 3339 time.</summary>
    [Description("Created at or after (RFC 3339).")]
    public string? CreatedAfter { get; init; }

    /// <summary>Only operations created before this RFC 3339 time.</summary>
    [Description("Created before (RFC 3339).")]
    public string? CreatedBefore { get; init; }

    /// <summary>Metadata equality filters: member name to its exact string value.</summary>
    [Description("Metadata equality filters (name: string value).")]
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>The rules the member attributes cannot state: the filter formats, and at least one filter.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Status is not null && !ListFilterRules.TryParseStatuses(Status, out _))
            yield return new ValidationResult(ListFilterRules.StatusRule, [nameof(Status)]);
        if (CreatedAfter is not null && !ListFilterRules.TryParseTime(CreatedAfter, out _))
            yield return new ValidationResult(ListFilterRules.TimeRule, [nameof(CreatedAfter)]);
        if (CreatedBefore is not null && !ListFilterRules.TryParseTime(CreatedBefore, out _))
            yield return new ValidationResult(ListFilterRules.TimeRule, [nameof(CreatedBefore)]);
        if (Metadata is not null)
        {
            if (Metadata.Count > ListFilterRules.MaxMetadataFilters)
                yield return new ValidationResult($"at most {ListFilterRules.MaxMetadataFilters} metadata filters", [nameof(Metadata)]);
            else if (Metadata.Any(m => !ListFilterRules.IsMetadataKey(m.Key) || m.Value is null || m.Value.Length > ListFilterRules.MaxMetadataValueLength))
                yield return new ValidationResult($"{ListFilterRules.MetadataKeyRule}; values are strings of at most {ListFilterRules.MaxMetadataValueLength} characters", [nameof(Metadata)]);
        }
        if (Status is null && Kind is null && CreatedAfter is null && CreatedBefore is null && Metadata is not { Count: > 0 })
            yield return new ValidationResult("needs at least one filter (status, kind, created_after, created_before or metadata)", [nameof(Action)]);
    }
}
