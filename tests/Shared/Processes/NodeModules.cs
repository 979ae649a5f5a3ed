using System.Diagnostics;

namespace Longhaul.Testing;

/// <summary>
/// The npm packages of tests/node (real third-party programs such as tus-js-client, @redocly/cli,
/// @stoplight/prism-cli), run by the machine's Node 20; installed from the committed lock file (<c>npm ci</c>) the first
/// time a test needs one, as CI's <c>.ci/run</c> does up front.
/// </summary>
public static class NodeModules
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    /// <summary>tests/node (holds package.json and package-lock.json), found above the test assembly.</summary>
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

    /// <summary>
    /// Makes sure <c>node_modules/<paramref name="relative"/></c> (a package's folder, e.g. <c>tus-js-client</c>, or a
    /// file in one, e.g. <c>@redocly/cli/bin/cli.js</c>) is installed, running <c>npm ci</c> once if not; returns its full path.
    /// </summary>
    public static async Task<string> EnsureAsync(string relative, CancellationToken cancellationToken)
    {
        var folder = Folder();
        var path = Path.Combine(folder, "node_modules", relative);
        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                var (code, output) = await ChildProcess.RunAsync(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = folder },
                    InstallTimeout, cancellationToken);
                Assert.True(code == 0, $"npm ci failed in {folder}:\n{output}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
        return path;
    }

    /// <summary>A <c>node</c> command line (<paramref name="args"/>, the script first) run in <paramref name="workingDirectory"/>, without colours.</summary>
    public static ProcessStartInfo Node(IEnumerable<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo("node", args) { WorkingDirectory = workingDirectory };
        start.Environment["NO_COLOR"] = "1";
        return start;
    }
}
