using System.Globalization;
using System.Text.RegularExpressions;
using Longhaul.Contracts;

namespace Longhaul.Listing;

/// <summary>
/// The rules of the list filters, shared by <c>GET /v1/operations</c>, <c>GET /v1/events</c> and the <c>bulk</c> kind:
/// statuses as a comma-separated list, RFC 3339 times, and metadata equality filters.
/// </summary>
public static partial class ListFilterRules
{
    /// <summary>At most this many metadata filters in one list: 4.</summary>
    public const int MaxMetadataFilters = 4;

    /// <summary>The longest metadata filter value: 256 characters.</summary>
    public const int MaxMetadataValueLength = 256;

    /// <summary>The longest kind name a filter accepts: 100 characters.</summary>
    public const int MaxKindLength = 100;

    /// <summary>What a status filter must look like, for error messages.</summary>
    public const string StatusRule = "must be one or more of pending, running, succeeded, failed, cancelled, separated by commas";

    /// <summary>What a time filter must look like, for error messages.</summary>
    public const string TimeRule = "must be an RFC 3339 date-time with a time zone, e.g. 2026-12-06T10:00:00Z";

    /// <summary>What a metadata filter key must look like, for error messages.</summary>
    public const string MetadataKeyRule = "metadata filter names are 1 to 64 letters, digits, '_', '-' or '.'";

    /// <summary>Parses <c>running,failed</c>: each name once or more (duplicates are merged), no blanks; false otherwise.</summary>
    public static bool TryParseStatuses(string? value, out IReadOnlyList<OperationStatus> statuses)
    {
        statuses = [];
        if (string.IsNullOrEmpty(value) || value.Length > 64) return false;
        var set = new SortedSet<OperationStatus>();
        foreach (var part in value.Split(','))
        {
            if (!OperationStatusNames.TryParse(part, out var status)) return false;
            set.Add(status);
        }
        statuses = [.. set];
        return true;
    }

    /// <summary>Parses an RFC 3339 date-time with a <c>Z</c> or numeric offset (fractions up to 7 digits); false otherwise.</summary>
    public static bool TryParseTime(string? value, out DateTimeOffset time)
    {
        time = default;
        return value is not null && value.Length <= 40 && Rfc3339().IsMatch(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    /// <summary>Whether <paramref name="key"/> may name a metadata filter: 1 to 64 of <c>A-Z a-z 0-9 _ - .</c>.</summary>
    public static bool IsMetadataKey(string? key) => key is not null && MetadataKey().IsMatch(key);

    /// <summary>Whether <paramref name="kind"/> may be a kind filter: 1 to <see cref="MaxKindLength"/> characters.</summary>
    public static bool IsKind(string? kind) => !string.IsNullOrEmpty(kind) && kind.Length <= MaxKindLength;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex MetadataKey();
}
