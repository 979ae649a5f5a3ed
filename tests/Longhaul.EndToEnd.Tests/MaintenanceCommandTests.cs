using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.Data.Sqlite;

namespace Longhaul.EndToEnd.Tests;

/// <summary><c>longhaul migrate</c> and <c>longhaul keys</c> against a real data directory and a running server.</summary>
public sealed partial class MaintenanceCommandTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task Migrate_FreshDataDir_CreatesSchemaAndExitsZero()
    {
        var database = Path.Combine(_env.DataDir, "longhaul.db");

        var migrate = await _env.RunAsync(null, "migrate", "--data-dir", _env.DataDir);

        Assert.True(migrate.ExitCode == 0, _env.Logs);
        Assert.Contains(database, migrate.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(database), _env.Logs);
        var tables = ReadTables(database);
        Assert.Contains("operations", tables);
        Assert.Contains("operation_events", tables);

        var again = await _env.RunAsync(null, "migrate", "--data-dir", _env.DataDir);
        Assert.True(again.ExitCode == 0, _env.Logs);
    }

    [Fact]
    public async Task KeysCreateAndRevoke_BearerKey_AuthenticatesUntilRevoked()
    {
        var create = await _env.RunAsync(null, "keys", "create", "--tenant", "acme", "--data-dir", _env.DataDir);
        Assert.True(create.ExitCode == 0, _env.Logs);
        var key = create.Stdout.Trim();
        Assert.False(string.IsNullOrWhiteSpace(key), _env.Logs);
        Assert.DoesNotContain('\n', key);
        var keyId = KeyIdPattern().Match(create.Stderr) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"No key id in:\n{_env.Logs}");

        var list = await _env.RunAsync(null, "keys", "list", "--data-dir", _env.DataDir);
        Assert.True(list.ExitCode == 0, _env.Logs);
        Assert.Contains(keyId, list.Stdout, StringComparison.Ordinal);
        Assert.Contains("acme", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list.Stdout, StringComparison.Ordinal);

        var server = await _env.StartServerAsync();

        using (var anonymous = await EndToEndEnvironment.PostOperationAsync(server, new { seconds = 0 }))
        {
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{(int)anonymous.StatusCode}\n{_env.Logs}");
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        }
        using (var wrong = await EndToEndEnvironment.PostOperationAsync(server, new { seconds = 0 }, "lh_not-a-key"))
        {
            Assert.True(wrong.StatusCode == HttpStatusCode.Unauthorized, $"{(int)wrong.StatusCode}\n{_env.Logs}");
        }
        using (var authorized = await EndToEndEnvironment.PostOperationAsync(server, new { seconds = 0 }, key))
        {
            Assert.True(authorized.StatusCode == HttpStatusCode.Accepted, $"{(int)authorized.StatusCode}: {await authorized.Content.ReadAsStringAsync(EndToEndEnvironment.Ct)}\n{_env.Logs}");
        }

        var revoke = await _env.RunAsync(null, "keys", "revoke", keyId, "--data-dir", _env.DataDir);
        Assert.True(revoke.ExitCode == 0, _env.Logs);

        // Servers cache keys for a few seconds: await the refusal, bounded.
        var status = await Eventually.ValueAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/operations");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var response = await server.Http.SendAsync(request, EndToEndEnvironment.Ct);
                return response.StatusCode;
            },
            s => s == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(15));
        Assert.True(status == HttpStatusCode.Unauthorized, $"The revoked key still answers {(int)status}.\n{_env.Logs}");

        using var afterRevoke = await EndToEndEnvironment.PostOperationAsync(server, new { seconds = 0 });
        Assert.True(afterRevoke.StatusCode == HttpStatusCode.Unauthorized, $"Without a key after the revocation: {(int)afterRevoke.StatusCode}\n{_env.Logs}");

        // With a key in the store at start-up there is no development-mode warning (checked once the log is complete).
        server.Process.Terminate();
        Assert.Equal(0, await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(20), EndToEndEnvironment.Ct));
        Assert.DoesNotContain("No API keys exist", server.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Created key (\S+) for tenant")]
    private static partial Regex KeyIdPattern();

    private static List<string> ReadTables(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return tables;
    }
}
