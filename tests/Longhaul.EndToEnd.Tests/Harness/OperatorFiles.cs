using System.Text.Json;
using System.Text.RegularExpressions;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>The operator files in <c>deploy/</c>: the Prometheus alert rules and the Grafana dashboard, and the metric names they query.</summary>
internal static partial class OperatorFiles
{
    public static string Root
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Longhaul.sln"))) root = root.Parent;
            return root?.FullName ?? throw new InvalidOperationException("No Longhaul.sln above the test assembly.");
        }
    }

    public static string AlertRules => Path.Combine(Root, "deploy", "prometheus", "alerts.yml");

    public static string Dashboard => Path.Combine(Root, "deploy", "grafana", "longhaul.json");

    /// <summary>Every query of the dashboard's panels.</summary>
    public static IReadOnlyList<string> DashboardQueries()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Dashboard));
        return [.. document.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)];
    }

    /// <summary>The <c>longhaul_…</c> series named by the alert rules and the dashboard.</summary>
    public static IReadOnlySet<string> MetricNames()
        => MetricName().Matches(File.ReadAllText(AlertRules) + "\n" + string.Join("\n", DashboardQueries())).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is a family in <paramref name="types"/> or a histogram's <c>_bucket</c>, <c>_count</c> or <c>_sum</c>.</summary>
    public static bool Exported(string name, IReadOnlyDictionary<string, string> types)
        => types.ContainsKey(name)
           || new[] { "_bucket", "_count", "_sum" }.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal)
                && types.TryGetValue(name[..^suffix.Length], out var type) && type == "histogram");

    [GeneratedRegex("longhaul_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
