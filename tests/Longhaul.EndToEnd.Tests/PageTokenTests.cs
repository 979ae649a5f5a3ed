using System.Net;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// List page tokens through the real binary on SQLite (ADR 12): opaque (no sequence number in any decodable form),
/// bound to the tenant and the filters, refused with 400 <c>invalid_parameter</c> when tampered with, foreign or
/// garbage, and still valid after the server restarts (the key is kept in the store).
/// </summary>
public sealed class PageTokenTests : IAsyncDisposable
{
    private const int Operations = 7;
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task PageTokens_WalkAndRestart_RevealNoSequenceAndStillWorkAfterRestart()
    {
        var server = await _env.StartServerAsync();
        var created = new List<string>();
        for (var i = 0; i < Operations; i++) created.Add(await _env.StartSleepAsync(server, new { seconds = 0 }));

        var (ids, tokens) = await OperationPages.WalkAsync(server, "page_size=2", null);

        Assert.Equal(Enumerable.Reverse(created), ids);
        Assert.Equal(3, tokens.Count);
        foreach (var token in tokens) OperationPages.AssertRevealsNoSequence(token, Operations);
        var (_, again) = await OperationPages.ListAsync(server, "page_size=2", null);
        Assert.NotEqual(tokens[0], again["next_page_token"]!.GetValue<string>()); // A fresh nonce each time: no stable form of the cursor.
        var (_, before) = await OperationPages.ListAsync(server, "page_size=2&page_token=" + Uri.EscapeDataString(tokens[1]), null);

        server.Process.Terminate();
        await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(30), EndToEndEnvironment.Ct);
        var restarted = await _env.StartServerAsync();
        var (status, after) = await OperationPages.ListAsync(restarted, "page_size=2&page_token=" + Uri.EscapeDataString(tokens[1]), null);

        Assert.True(status == HttpStatusCode.OK, $"{after.ToJsonString()}\n{_env.Logs}");
        Assert.Equal(before["operations"]!.ToJsonString(), after["operations"]!.ToJsonString());
    }

    [Fact]
    public async Task PageToken_TamperedForeignOtherFilterOrGarbage_Answers400InvalidParameter()
    {
        var keyA = await CreateKeyAsync("tenant-a");
        var keyB = await CreateKeyAsync("tenant-b");
        var server = await _env.StartServerAsync();
        for (var i = 0; i < 3; i++)
        {
            await _env.StartSleepAsync(server, new { seconds = 0 }, keyA);
            await _env.StartSleepAsync(server, new { seconds = 0 }, keyB);
        }
        var (_, first) = await OperationPages.ListAsync(server, "page_size=1&kind=sleep", keyA);
        var token = first["next_page_token"]!.GetValue<string>();
        var (ok, _) = await OperationPages.ListAsync(server, "page_size=1&kind=sleep&page_token=" + token, keyA);
        Assert.Equal(HttpStatusCode.OK, ok);

        var middle = token.Length / 2;
        var flipped = token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];
        var cases = new Dictionary<string, (string Query, string Key)>
        {
            ["tampered"] = ("page_size=1&kind=sleep&page_token=" + flipped, keyA),
            ["truncated"] = ("page_size=1&kind=sleep&page_token=" + token[..^4], keyA),
            ["other tenant"] = ("page_size=1&kind=sleep&page_token=" + token, keyB),
            ["other kind filter"] = ("page_size=1&kind=http&page_token=" + token, keyA),
            ["no kind filter"] = ("page_size=1&page_token=" + token, keyA),
            ["other status filter"] = ("page_size=1&kind=sleep&status=pending&page_token=" + token, keyA),
            ["garbage"] = ("page_size=1&page_token=" + new string('A', 48), keyA),
            ["old format"] = ("page_size=1&page_token=djE6Mw", keyA),
        };
        foreach (var (name, (query, key)) in cases)
        {
            var (status, body) = await OperationPages.ListAsync(server, query, key);
            Assert.True(status == HttpStatusCode.BadRequest, $"{name}: {(int)status} {body.ToJsonString()}");
            Assert.True(body["code"]!.GetValue<string>() == "invalid_parameter", $"{name}: {body.ToJsonString()}");
            Assert.True(body["errors"]?["page_token"] is not null, $"{name}: {body.ToJsonString()}");
        }
    }

    private async Task<string> CreateKeyAsync(string tenant)
    {
        var create = await _env.RunAsync(null, "keys", "create", "--tenant", tenant, "--data-dir", _env.DataDir);
        Assert.True(create.ExitCode == 0, _env.Logs);
        return create.Stdout.Trim();
    }
}
