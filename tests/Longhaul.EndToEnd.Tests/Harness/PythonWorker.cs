namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>samples/python-worker run as a real <c>python3</c> process (the reference remote worker and its example handlers).</summary>
internal static class PythonWorker
{
    private static readonly Lazy<string> LazyDirectory = new(() =>
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Longhaul.sln"))) root = root.Parent;
        return Path.Combine(root?.FullName ?? throw new InvalidOperationException("No Longhaul.sln above the test assembly."), "samples", "python-worker");
    });

    /// <summary>samples/python-worker.</summary>
    public static string Directory => LazyDirectory.Value;

    /// <summary>The report kind's input schema, as the server's <c>Longhaul:RemoteKinds:report:InputSchemaFile</c>.</summary>
    public static string ReportSchema => Path.Combine(Directory, "report.schema.json");

    /// <summary>Server settings declaring the example handlers' kinds as remote kinds.</summary>
    public static (string Key, string Value)[] RemoteKinds =>
    [
        ("Longhaul__RemoteKinds__report__InputSchemaFile", ReportSchema),
        ("Longhaul__RemoteKinds__report__Description", "Counts rows, with a checkpoint per row (a Python worker)."),
        ("Longhaul__RemoteKinds__report__MaxAttempts", "5"),
        ("Longhaul__RemoteKinds__noop__Description", "Does nothing."),
        ("Longhaul__RemoteKinds__wait_cancel__Description", "Runs until cancelled."),
    ];

    /// <summary>Starts the worker against <paramref name="server"/> with <paramref name="apiKey"/>; adopted by <paramref name="env"/>.</summary>
    public static async Task<LonghaulProcess> StartAsync(EndToEndEnvironment env, Uri server, string apiKey, string name, string kinds = "report", int concurrency = 4, params string[] extra)
    {
        var process = LonghaulProcess.Start("python3",
            ["-u", Path.Combine(Directory, "longhaul_worker.py"), "--url", server.ToString().TrimEnd('/'), "--module", "example_handlers",
             "--kinds", kinds, "--concurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture), "--name", name, .. extra],
            new Dictionary<string, string> { ["LONGHAUL_API_KEY"] = apiKey, ["PYTHONDONTWRITEBYTECODE"] = "1" }, Directory);
        env.Adopt(process);
        await process.WaitForLineAsync(l => l.Contains($"[{name}] started", StringComparison.Ordinal), TimeSpan.FromSeconds(20), EndToEndEnvironment.Ct);
        return process;
    }
}
