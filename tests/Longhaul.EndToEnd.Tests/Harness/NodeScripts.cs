namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// The Node 20 scripts of tests/node (real third-party clients such as tus-js-client), installed from the committed
/// lock file (<c>npm ci</c>) the first time a test needs them; .ci/run installs them up front.
/// </summary>
internal static class NodeScripts
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "node");
            if (File.Exists(Path.Combine(candidate, "package-lock.json"))) return candidate;
        }
        throw new InvalidOperationException("tests/node (package-lock.json) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Makes sure <paramref name="package"/> is installed in tests/node; returns the folder.</summary>
    public static async Task<string> EnsureAsync(string package, CancellationToken cancellationToken)
    {
        var folder = Folder();
        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules", package)))
            {
                await using var npm = LonghaulProcess.Start("npm", ["ci", "--no-audit", "--no-fund"], null, folder);
                var code = await npm.WaitForExitAsync(TimeSpan.FromMinutes(5), cancellationToken);
                Assert.True(code == 0, $"npm ci failed in {folder}:\n{npm.Output}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
        return folder;
    }
}
