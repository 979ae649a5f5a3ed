using System.Diagnostics;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.OpenApi;

/// <summary>
/// The npm tools of tests/node (@redocly/cli, @stoplight/prism-cli), run by the machine's Node 20; installed from the
/// committed lock file (<c>npm ci</c>) the first time one is needed, as CI's <c>.ci/run</c> does.
/// </summary>
public static class NodeTools
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>tests/node.</summary>
    public static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "node");
            if (File.Exists(Path.Combine(candidate, "package-lock.json"))) return candidate;
        }
        throw new InvalidOperationException("tests/node (package-lock.json) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The repository's root (holds redocly.yaml).</summary>
    public static string RepositoryRoot() => Path.GetFullPath(Path.Combine(Folder(), "..", ".."));

    /// <summary>The script of an installed package's command, e.g. <c>@redocly/cli/bin/cli.js</c>.</summary>
    public static async Task<string> ScriptAsync(string relative)
    {
        var folder = Folder();
        var script = Path.Combine(folder, "node_modules", relative);
        await InstallGate.WaitAsync(Http.Ct);
        try
        {
            if (!File.Exists(script))
            {
                var (code, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder);
                Assert.True(code == 0, $"npm ci failed in {folder}:\n{output}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
        return script;
    }

    /// <summary>Runs a command to its end (at most 3 minutes): exit code and stdout + stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, string folder)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Http.Ct);
        var stderr = process.StandardError.ReadToEndAsync(Http.Ct);
        await process.WaitForExitAsync(Http.Ct).WaitAsync(TimeSpan.FromMinutes(3), Http.Ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
