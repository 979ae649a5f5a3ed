using System.Diagnostics;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.Proxy;

namespace Longhaul.Tests.Webhooks;

/// <summary>
/// Verifies deliveries with npm <c>standardwebhooks</c> 1.1.1 run by the machine's Node (tests/node), an implementation
/// independent of Longhaul's that accepts any of several signatures in one header. Installs the package from the
/// committed lock file (<c>npm ci</c>) the first time it is needed.
/// </summary>
public static class NodeStandardWebhooks
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "node");
            if (File.Exists(Path.Combine(candidate, "package-lock.json"))) return candidate;
        }
        throw new InvalidOperationException("tests/node (package-lock.json) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>"ok" or "fail: …" for each (secret, request), in order.</summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(IEnumerable<(string Secret, RecordedRequest Request)> deliveries)
    {
        var folder = Folder();
        await InstallGate.WaitAsync(Http.Ct);
        try
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "standardwebhooks")))
            {
                var (code, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, null);
                Assert.True(code == 0, $"npm ci failed in {folder}:\n{output}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
        var input = JsonSerializer.Serialize(new
        {
            deliveries = deliveries.Select(d => new
            {
                secret = d.Secret,
                body = d.Request.Body,
                headers = new Dictionary<string, string>
                {
                    ["webhook-id"] = d.Request.Headers["webhook-id"],
                    ["webhook-timestamp"] = d.Request.Headers["webhook-timestamp"],
                    ["webhook-signature"] = d.Request.Headers["webhook-signature"],
                },
            }),
        });
        var (exit, stdout) = await RunAsync("node", ["verify.mjs"], folder, input);
        Assert.True(exit == 0, $"node verify.mjs failed:\n{stdout}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string folder, string? stdin)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Http.Ct);
        var stderr = process.StandardError.ReadToEndAsync(Http.Ct);
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync(Http.Ct).WaitAsync(TimeSpan.FromMinutes(3), Http.Ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
