using System.Net;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>GET /v1/operations/{id}/events: live tail, replay from a position, keep-alives.</summary>
public sealed class EventStreamTests
{
    /// <summary>Runs a <c>stream</c> operation to the end and returns its id.</summary>
    private static async Task<string> FinishedStreamAsync(TestHost host)
    {
        var gate = host.NewGate();
        var id = (await host.Client.StartOperationOkAsync(StreamHandler.Name, gate.Input)).Id();
        gate.Open();
        Assert.Equal("succeeded", (await host.Client.WaitDoneAsync(id)).Status());
        return id;
    }

    private static async Task<List<SseEvent>> ReplayAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var stream = await SseClient.OpenAsync(client, path, lastEventId);
        var events = await stream.ReadToEndAsync();
        Assert.True(stream.Ended);
        Assert.StartsWith("retry:", stream.Lines[0], StringComparison.Ordinal);
        return events;
    }

    [Fact]
    public async Task Events_LiveOperation_SnapshotThenStatusProgressOutputAndDoneThenEnds()
    {
        await using var host = await TestHost.StartAsync();
        var gate = host.NewGate();
        var id = (await host.Client.StartOperationOkAsync(StreamHandler.Name, gate.Input)).Id();
        await gate.Started.Task.WaitAsync(Ct);
        using var stream = await SseClient.OpenAsync(host.Client, $"/v1/operations/{id}/events");
        Assert.True(stream.Response.Headers.CacheControl?.NoCache);

        var snapshot = await stream.ReadEventAsync();
        Assert.NotNull(snapshot);
        Assert.Equal("retry:", stream.Lines[0][..6]);
        Assert.Equal("snapshot", snapshot.Type);
        Assert.Equal(id, snapshot.Data.Id());
        Assert.Equal("running", snapshot.Data.Status());
        gate.Open();
        var events = await stream.ReadToEndAsync();

        Assert.True(stream.Ended);
        var ids = new[] { snapshot.Id }.Concat(events.Select(e => e.Id)).ToList();
        for (var i = 1; i < ids.Count; i++) Assert.True(ids[i] > ids[i - 1], $"ids not increasing: {string.Join(",", ids)}");
        Assert.Equal(StreamHandler.Chunks, events.Count(e => e.Type == "output"));
        Assert.Equal(["chunk-1", "chunk-2", "chunk-3"], events.Where(e => e.Type == "output").Select(e => e.Data.GetProperty("text").GetString()));
        var progress = events.Where(e => e.Type == "progress").ToList();
        Assert.Equal(StreamHandler.Chunks, progress.Count);
        Assert.Equal(100.0, progress[^1].Data.GetProperty("progress").GetProperty("percent").GetDouble());
        var status = Assert.Single(events, e => e.Type == "status");
        Assert.Equal("succeeded", status.Data.GetProperty("status").GetString());
        var done = events[^1];
        Assert.Equal("done", done.Type);
        Assert.Equal(1, events.Count(e => e.Type == "done"));
        Assert.Equal("succeeded", done.Data.Status());
        Assert.True(done.Data.GetProperty("done").GetBoolean());
        Assert.Equal(StreamHandler.Chunks, done.Data.GetProperty("result").GetProperty("chunks").GetInt32());
        Assert.All(events, e => Assert.Contains(e.Type, new[] { "status", "progress", "output", "done" }));
    }

    [Fact]
    public async Task Events_NoPositionFromStart_SnapshotIdCoversEveryLaterEvent()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);
        var id = (await host.Client.SleepAsync()).Id();
        using var stream = await SseClient.OpenAsync(host.Client, $"/v1/operations/{id}/events");

        var snapshot = await stream.ReadEventAsync();
        Assert.NotNull(snapshot);
        Assert.Equal("snapshot", snapshot.Type);
        Assert.Equal("pending", snapshot.Data.Status());
        using (var cancel = await host.Client.PostAsync($"/v1/operations/{id}/cancel", null, Ct)) Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var events = await stream.ReadToEndAsync();

        Assert.Equal(["status", "done"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.True(e.Id > snapshot.Id));
        Assert.Equal("cancelled", events[0].Data.GetProperty("status").GetString());
        Assert.Equal("cancelled", events[1].Data.Status());
    }

    [Fact]
    public async Task Events_FinishedOperationWithoutPosition_SnapshotThenDone()
    {
        await using var host = await TestHost.StartAsync();
        var id = await FinishedStreamAsync(host);

        var events = await ReplayAsync(host.Client, $"/v1/operations/{id}/events");

        Assert.Equal(["snapshot", "done"], events.Select(e => e.Type));
        Assert.True(events[1].Id > events[0].Id);
        Assert.Equal("succeeded", events[0].Data.Status());
    }

    [Fact]
    public async Task Events_ResumeFromEveryPosition_ReplaysExactlyTheRest()
    {
        await using var host = await TestHost.StartAsync();
        var id = await FinishedStreamAsync(host);
        var full = await ReplayAsync(host.Client, $"/v1/operations/{id}/events?after=0");
        Assert.Equal(Enumerable.Range(1, full.Count).Select(i => (long)i), full.Select(e => e.Id)); // No gap from the start.
        Assert.DoesNotContain(full, e => e.Type == "snapshot");
        Assert.Equal("done", full[^1].Type);
        Assert.Equal(["status", "output", "progress", "output", "progress", "output", "progress", "status", "done"], full.Select(e => e.Type));

        foreach (var n in new long[] { 1, full.Count / 2, full.Count - 1 })
        {
            var expected = full.Where(e => e.Id > n).Select(e => (e.Id, e.Type, Data: e.Data.GetRawText())).ToList();
            var byHeader = await ReplayAsync(host.Client, $"/v1/operations/{id}/events", lastEventId: n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var byQuery = await ReplayAsync(host.Client, $"/v1/operations/{id}/events?after={n}");
            Assert.Equal(expected, byHeader.Select(e => (e.Id, e.Type, Data: e.Data.GetRawText())));
            Assert.Equal(expected, byQuery.Select(e => (e.Id, e.Type, Data: e.Data.GetRawText())));
        }
    }

    [Fact]
    public async Task Events_ResumeLiveStreamMidway_NoGapNoDuplicate()
    {
        await using var host = await TestHost.StartAsync();
        var gate = host.NewGate();
        var id = (await host.Client.StartOperationOkAsync(StreamHandler.Name, gate.Input)).Id();
        await gate.Started.Task.WaitAsync(Ct);
        long position;
        using (var first = await SseClient.OpenAsync(host.Client, $"/v1/operations/{id}/events?after=0"))
        {
            var running = await first.ReadEventAsync(); // The claim's status event.
            Assert.NotNull(running);
            Assert.Equal("status", running.Type);
            position = running.Id;
        }

        using var resumed = await SseClient.OpenAsync(host.Client, $"/v1/operations/{id}/events", lastEventId: position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        gate.Open();
        var rest = await resumed.ReadToEndAsync();

        var full = await ReplayAsync(host.Client, $"/v1/operations/{id}/events?after=0");
        Assert.Equal(full.Where(e => e.Id > position).Select(e => (e.Id, e.Type)), rest.Select(e => (e.Id, e.Type)));
        Assert.Equal("done", rest[^1].Type);
    }

    [Fact]
    public async Task Events_ResumeAfterEndOfFinishedOperation_Answers204()
    {
        await using var host = await TestHost.StartAsync();
        var id = await FinishedStreamAsync(host);
        var full = await ReplayAsync(host.Client, $"/v1/operations/{id}/events?after=0");
        var last = full[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var byHeader = await SseClient.SendAsync(host.Client, $"/v1/operations/{id}/events", last);
        using var byQuery = await SseClient.SendAsync(host.Client, $"/v1/operations/{id}/events?after={last}");
        using var beyond = await SseClient.SendAsync(host.Client, $"/v1/operations/{id}/events?after=999999");

        Assert.Equal(HttpStatusCode.NoContent, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, byQuery.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, beyond.StatusCode);
        Assert.Empty(await byHeader.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Events_IdleStream_SendsKeepAliveComments()
    {
        await using var host = await TestHost.StartAsync(api: o => o.KeepAliveInterval = TimeSpan.FromMilliseconds(200));
        var gate = host.NewGate();
        var id = (await host.Client.StartOperationOkAsync(GateHandler.Name, gate.Input)).Id();
        await gate.Started.Task.WaitAsync(Ct);
        using var stream = await SseClient.OpenAsync(host.Client, $"/v1/operations/{id}/events", limit: TimeSpan.FromSeconds(10));

        Assert.Equal(": keep-alive", await stream.ReadUntilCommentAsync());
        Assert.Equal(": keep-alive", await stream.ReadUntilCommentAsync());

        gate.Open();
        var events = await stream.ReadToEndAsync();
        Assert.Equal("done", events[^1].Type);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999999")]
    public async Task Events_BadLastEventId_Answers400(string value)
    {
        await using var host = await TestHost.StartAsync();
        var id = (await host.Client.SleepAsync()).Id();

        using var byHeader = await SseClient.SendAsync(host.Client, $"/v1/operations/{id}/events", value);
        using var byQuery = await SseClient.SendAsync(host.Client, $"/v1/operations/{id}/events?after={Uri.EscapeDataString(value)}");

        await AssertProblemAsync(byHeader, 400, "invalid_parameter", "Last-Event-ID");
        await AssertProblemAsync(byQuery, 400, "invalid_parameter", "after");
    }

    [Fact]
    public async Task Events_UnknownId_Answers404()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await SseClient.SendAsync(host.Client, "/v1/operations/op_00000000000000000000000000/events");

        await AssertProblemAsync(response, 404, "operation_not_found");
    }

    [Fact]
    public async Task Events_EachDataLine_IsOneLineOfJsonInSnakeCase()
    {
        await using var host = await TestHost.StartAsync();
        var id = await FinishedStreamAsync(host);

        using var stream = await SseClient.OpenAsync(host.Client, $"/v1/operations/{id}/events?after=0");
        await stream.ReadToEndAsync();

        var dataLines = stream.Lines.Where(l => l.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(dataLines);
        foreach (var line in dataLines)
        {
            var json = JsonDocument.Parse(line[5..]).RootElement;
            if (json.ValueKind != JsonValueKind.Object) continue;
            foreach (var property in json.EnumerateObject()) Assert.Matches(SnakeCase(), property.Name);
        }
        Assert.All(stream.Lines, l => Assert.True(l.Length == 0 || l.StartsWith("retry:", StringComparison.Ordinal) || l.StartsWith("id:", StringComparison.Ordinal)
            || l.StartsWith("event:", StringComparison.Ordinal) || l.StartsWith("data:", StringComparison.Ordinal) || l.StartsWith(':'), l));
    }
}
