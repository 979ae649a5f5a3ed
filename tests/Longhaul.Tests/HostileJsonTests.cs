using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Longhaul.Store.Tests.Postgres;
using Longhaul.Tests.Infrastructure;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>
/// Property: whatever JSON a client sends to <c>POST /v1/operations</c> (lone surrogates, control characters, huge
/// numbers, duplicate members, deep nesting, bytes that are not UTF-8), every answer is a 2xx or a 4xx problem
/// document, never a 5xx; and every operation answered 2xx is readable by GET, wait, events and list, holding what
/// was sent. Against the SQLite store and the PostgreSQL store, through real HTTP.
/// </summary>
public sealed class HostileJsonTests
{
    private const int Cases = 300;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Create_HostileJson_AnswersTwoHundredsOrProblemsAndEveryCreatedOperationReads(string store)
    {
        var settings = new Dictionary<string, string?>();
        string? schema = null, connection = null;
        if (store == "postgres")
        {
            connection = PostgresTestDatabase.ConnectionStringOrSkip();
            schema = PostgresTestDatabase.NewSchemaName();
            settings["Longhaul:Store"] = "postgres";
            settings["Longhaul:Postgres:ConnectionString"] = connection;
            settings["Longhaul:Postgres:Schema"] = schema;
        }
        try
        {
            await using var host = await TestHost.StartWithSettingsAsync(settings, "main");
            var client = host.Client;
            var created = 0;
            var property = Prop.ForAll(HostileJson.Body.ToArbitrary(), body =>
            {
                // FsCheck runs properties synchronously; the requests run on the thread pool, off xUnit's context.
                if (Task.Run(() => CheckOneAsync(client, body)).GetAwaiter().GetResult()) created++;
            });
            await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases), property), Ct);
            // About a quarter of the bodies get past validation (seen: 65 to 90 of 300); far fewer would mean the generator
            // stopped reaching the store, and the property would prove little.
            Assert.True(created >= Cases / 10, $"only {created} of {Cases} bodies created an operation");
        }
        finally
        {
            if (schema is not null) await PostgresTestDatabase.DropSchemaAsync(connection!, schema, CancellationToken.None);
        }
    }

    /// <summary>Sends one body and checks the invariant; true when it created an operation.</summary>
    private static async Task<bool> CheckOneAsync(HttpClient client, string body)
    {
        var content = new ByteArrayContent(HostileJson.ToBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/v1/operations", content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var status = (int)response.StatusCode;
        Assert.True(status is >= 200 and < 500, $"POST answered {status}: {text}");
        if (status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal(status, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("code").GetString()));
            return false;
        }

        var sent = JsonDocument.Parse(HostileJson.ToBytes(body)).RootElement;
        var op = JsonDocument.Parse(text).RootElement;
        var id = op.Id();
        AssertSameMember(sent, op, "metadata");

        var read = await client.GetJsonAsync($"/v1/operations/{id}");
        AssertSameMember(sent, read, "metadata");
        var done = await client.WaitDoneAsync(id);
        if (done.GetProperty("kind").GetString() == EchoHandler.Name)
        {
            Assert.Equal("succeeded", done.Status());
            var input = sent.TryGetProperty("input", out var i) && i.ValueKind != JsonValueKind.Null ? i : JsonDocument.Parse("{}").RootElement;
            Assert.True(JsonElement.DeepEquals(input, done.GetProperty("result")), $"result {done.GetProperty("result")} is not the input {input}");
        }

        using var events = await client.GetAsync($"/v1/operations/{id}/events", HttpCompletionOption.ResponseContentRead, Ct);
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.Contains("event: done", await events.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var page = await client.GetJsonAsync("/v1/operations?page_size=5");
        Assert.Contains(page.GetProperty("operations").EnumerateArray(), o => o.Id() == id);
        return true;
    }

    private static void AssertSameMember(JsonElement sent, JsonElement op, string name)
    {
        var expected = sent.TryGetProperty(name, out var e) ? e : default;
        var actual = op.GetProperty(name);
        if (expected.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) Assert.Equal(JsonValueKind.Null, actual.ValueKind);
        else Assert.True(JsonElement.DeepEquals(expected, actual), $"{name} {actual} is not what was sent: {expected}");
    }
}
