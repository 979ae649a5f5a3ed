using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4): every line is a <c># HELP</c>, a <c># TYPE</c>
/// (before its samples, once per family) or a sample <c>name{label="value",…} number</c>; anything else throws.
/// </summary>
internal sealed partial class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private PrometheusText()
    {
    }

    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            if (line.StartsWith("# HELP ", StringComparison.Ordinal)) continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                if (parts.Length != 4 || !NameRegex().IsMatch(parts[2]) || parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    throw new FormatException($"line {lineNumber}: bad TYPE line: {line}");
                if (!result.Types.TryAdd(parts[2], parts[3])) throw new FormatException($"line {lineNumber}: second TYPE for {parts[2]}");
                continue;
            }
            if (line.StartsWith('#')) continue;
            var match = SampleRegex().Match(line);
            if (!match.Success) throw new FormatException($"line {lineNumber}: not a sample: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelRegex().Matches(match.Groups["labels"].Value))
            {
                if (!labels.TryAdd(label.Groups[1].Value, label.Groups[2].Value)) throw new FormatException($"line {lineNumber}: label {label.Groups[1].Value} twice");
            }
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            var name = match.Groups["name"].Value;
            if (!result.Types.Keys.Any(f => name == f || name.StartsWith(f + "_", StringComparison.Ordinal)))
                throw new FormatException($"line {lineNumber}: sample {name} before its TYPE");
            result._samples.Add((name, labels, value));
        }
        return result;
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels)
        => _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>The <c>promtool</c> executable on the PATH (Debian's prometheus package), or null.</summary>
    public static string? Promtool => Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, "promtool")).FirstOrDefault(File.Exists);

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="text"/> when promtool is installed; returns its output and exit code, or null.</summary>
    public static async Task<(int ExitCode, string Output)?> PromtoolCheckAsync(string text, CancellationToken cancellationToken)
    {
        if (Promtool is not { } promtool) return null;
        using var process = Process.Start(new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(text.AsMemory(), cancellationToken);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex NameRegex();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*)\})? (?<value>[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|[+-]Inf|NaN)( -?\d+)?$""")]
    private static partial Regex SampleRegex();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelRegex();
}
