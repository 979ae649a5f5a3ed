using System.Text.Json;
using Longhaul.Testing;
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
    /// <summary>"ok" or "fail: …" for each (secret, request), in order.</summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(IEnumerable<(string Secret, RecordedRequest Request)> deliveries)
    {
        await NodeModules.EnsureAsync("standardwebhooks", Http.Ct);
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
        await using var node = ChildProcess.Start(NodeModules.Node(["verify.mjs"], NodeModules.Folder()), input);
        var exit = await node.WaitForExitAsync(TimeSpan.FromMinutes(3), Http.Ct);
        Assert.True(exit == 0, $"node verify.mjs failed:\n{node.Output}");
        return (node.Stdout + "\n" + node.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
