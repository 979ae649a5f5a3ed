using Longhaul.Contracts;
using Longhaul.Listing;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore;

/// <summary>
/// The list filters of <c>GET /v1/operations</c> and <c>GET /v1/events</c> from the query string: <c>status</c>
/// (comma-separated), <c>kind</c>, <c>created_after</c>, <c>created_before</c> and <c>metadata.{name}</c>. A bad
/// value answers 400 <c>invalid_parameter</c> naming the parameter.
/// </summary>
internal static class ListQuery
{
    public const string MetadataPrefix = "metadata.";

    /// <summary>The filter for the caller's tenant with <paramref name="pageSize"/>; null after writing the 400 for a bad parameter.</summary>
    public static async Task<ListParams?> ReadFilterAsync(HttpContext context, int pageSize)
    {
        var query = context.Request.Query;
        IReadOnlyList<OperationStatus> statuses = [];
        if (query.TryGetValue("status", out var s) && (s.Count != 1 || !ListFilterRules.TryParseStatuses(s[0], out statuses)))
        {
            await ProblemResults.BadParameterAsync(context, "status", ListFilterRules.StatusRule + " (one status parameter)").ConfigureAwait(false);
            return null;
        }
        string? kind = null;
        if (query.TryGetValue("kind", out var k))
        {
            if (k.Count != 1 || !ListFilterRules.IsKind(k[0]))
            {
                await ProblemResults.BadParameterAsync(context, "kind", "must be one kind name").ConfigureAwait(false);
                return null;
            }
            kind = k[0];
        }
        var (afterOk, after) = await TimeAsync(context, "created_after").ConfigureAwait(false);
        if (!afterOk) return null;
        var (beforeOk, before) = await TimeAsync(context, "created_before").ConfigureAwait(false);
        if (!beforeOk) return null;
        var metadata = new List<MetadataMatch>();
        foreach (var (name, values) in query)
        {
            if (!name.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase)) continue;
            var key = name[MetadataPrefix.Length..];
            string? problem = null;
            if (!name.StartsWith(MetadataPrefix, StringComparison.Ordinal) || !ListFilterRules.IsMetadataKey(key)) problem = ListFilterRules.MetadataKeyRule;
            else if (values.Count != 1) problem = "must be given once";
            else if (values[0]!.Length > ListFilterRules.MaxMetadataValueLength) problem = $"must be at most {ListFilterRules.MaxMetadataValueLength} characters";
            else if (metadata.Count == ListFilterRules.MaxMetadataFilters) problem = $"at most {ListFilterRules.MaxMetadataFilters} metadata filters";
            if (problem is not null)
            {
                await ProblemResults.BadParameterAsync(context, name, problem).ConfigureAwait(false);
                return null;
            }
            metadata.Add(new MetadataMatch(key, values[0]!));
        }
        return new ListParams(OperationEndpoints.Tenant(context), null, kind, pageSize, null)
        {
            Statuses = statuses,
            CreatedAfter = after,
            CreatedBefore = before,
            Metadata = metadata,
        };
    }

    private static async Task<(bool Ok, DateTimeOffset? Time)> TimeAsync(HttpContext context, string name)
    {
        if (!context.Request.Query.TryGetValue(name, out var raw)) return (true, null);
        if (raw.Count == 1 && ListFilterRules.TryParseTime(raw[0], out var time)) return (true, time);
        await ProblemResults.BadParameterAsync(context, name, ListFilterRules.TimeRule).ConfigureAwait(false);
        return (false, null);
    }
}
