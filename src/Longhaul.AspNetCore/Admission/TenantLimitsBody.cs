using System.Globalization;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Tenancy;

namespace Longhaul.AspNetCore.Admission;

/// <summary>
/// The body of <c>PUT /v1/tenants/{tenant}/limits</c>: an object of the override fields, each a number or null (absent
/// or null: the default applies). Every bad field is reported at once. Public so that <c>longhaul tenants set</c> checks
/// the same rules.
/// </summary>
public static class TenantLimitsBody
{
    /// <summary>The largest count a limit may be set to (connections, running, burst); larger is a typo, not a limit.</summary>
    private const long MaxCount = 1_000_000_000;

    /// <summary>The body's field names, snake_case as on the wire.</summary>
    public static IReadOnlyList<string> Fields { get; } =
        ["weight", "max_running", "max_pending", "create_rate_per_second", "create_burst", "max_connections", "max_events_per_operation", "max_stored_bytes"];

    /// <summary>The overrides, or null with <paramref name="errors"/> naming every bad field.</summary>
    public static TenantLimitOverrides? Read(JsonElement root, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors[""] = ["the body must be a JSON object of limits"];
            return null;
        }
        foreach (var member in root.EnumerateObject())
        {
            if (!Fields.Contains(member.Name, StringComparer.Ordinal)) errors[member.Name] = ["is not a known field"];
        }
        var e = errors;
        var overrides = new TenantLimitOverrides(
            Weight: (int?)Integer(root, "weight", 1, 1000, e),
            MaxRunning: (int?)Integer(root, "max_running", 1, MaxCount, e),
            MaxPending: (int?)Integer(root, "max_pending", 1, int.MaxValue, e),
            CreateRatePerSecond: Rate(root, "create_rate_per_second", e),
            CreateBurst: (int?)Integer(root, "create_burst", 1, MaxCount, e),
            MaxConnections: (int?)Integer(root, "max_connections", 1, MaxCount, e),
            MaxEventsPerOperation: (int?)Integer(root, "max_events_per_operation", 1, int.MaxValue, e),
            MaxStoredBytes: Integer(root, "max_stored_bytes", 0, long.MaxValue, e));
        return errors.Count == 0 ? overrides : null;
    }

    private static long? Integer(JsonElement root, string name, long min, long max, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= min && n <= max) return n;
        errors[name] = [$"must be null or an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}"];
        return null;
    }

    private static double? Rate(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d is >= 0.001 and <= 1_000_000) return d;
        errors[name] = ["must be null or a number of starts per second from 0.001 to 1000000"];
        return null;
    }
}
