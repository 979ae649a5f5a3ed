using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary><c>longhaul webhooks secret show|rotate</c> against a real data directory, and the API seeing the same secrets.</summary>
public sealed class WebhooksCommandTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    private static string[] Lines(LonghaulProcess p) => p.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task SecretShowAndRotate_DataDir_PrintSecretsAndTheServerSignsWithThem()
    {
        var show = await _env.RunAsync(null, "webhooks", "secret", "show", "--tenant", "acme", "--data-dir", _env.DataDir);
        Assert.True(show.ExitCode == 0, _env.Logs);
        var original = Assert.Single(Lines(show));
        Assert.StartsWith("whsec_", original, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(original["whsec_".Length..]).Length);

        var rotate = await _env.RunAsync(null, "webhooks", "secret", "rotate", "--tenant", "acme", "--overlap", "1h", "--data-dir", _env.DataDir);
        Assert.True(rotate.ExitCode == 0, _env.Logs);
        var rotated = Lines(rotate);
        Assert.Equal(2, rotated.Length);
        Assert.Equal(original, rotated[1]);
        Assert.Contains("rotation overlap", rotate.Stderr, StringComparison.Ordinal);

        var bad = await _env.RunAsync(null, "webhooks", "secret", "rotate", "--tenant", "acme", "--overlap", "soon", "--data-dir", _env.DataDir);
        Assert.True(bad.ExitCode == 2, _env.Logs);

        var create = await _env.RunAsync(null, "keys", "create", "--tenant", "acme", "--data-dir", _env.DataDir);
        Assert.True(create.ExitCode == 0, _env.Logs);
        var server = await _env.StartServerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/webhooks/secret");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", create.Stdout.Trim());
        using var response = await server.Http.SendAsync(request, EndToEndEnvironment.Ct);
        var secrets = JsonNode.Parse(await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct))!["secrets"]!.AsArray();
        Assert.Equal(rotated, secrets.Select(s => s!["secret"]!.GetValue<string>()));
    }
}
