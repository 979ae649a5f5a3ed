using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>The Python reference worker (a real <c>python3</c> process) running remote kinds against a real server.</summary>
public sealed class RemoteWorkerTests : RemoteWorkerTest
{
    [Fact]
    public async Task PythonWorker_Report_ProgressCheckpointsAndOutputReachAnSseClientLive()
    {
        await StartAsync();
        var id = await StartReportAsync(rows: 6, delay: 0.3);
        await using var events = await EventsAsync(id);
        await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "w1");

        // Live: the first output and progress arrive while the operation is still running.
        var firstOutput = await events.ReadUntilAsync(e => e.Type == "output", LineTimeout, Ct);
        var running = await Api.GetAsync(ClientKey, $"/v1/operations/{id}");
        Assert.True(running["status"]!.GetValue<string>() == "running", $"{running.ToJsonString()}\n{Env.Logs}");
        Assert.Equal(1, firstOutput.Json!["row"]!.GetValue<int>());
        await events.ReadUntilAsync(e => e.ProgressCurrent >= 1, LineTimeout, Ct);
        await events.ReadToEndAsync(DoneTimeout, Ct);

        var log = events.Received;
        var message = string.Join("\n", log) + "\n" + Env.Logs;
        Assert.True(log.Where(e => e.Type == "output").Select(e => e.Json!["row"]!.GetValue<int>()).SequenceEqual(Enumerable.Range(1, 6)), message);
        Assert.True(log.Count(e => e.Type == "progress") == 6, message);
        var done = log[^1].Json!;
        Assert.True(done["status"]!.GetValue<string>() == "succeeded", message);
        Assert.True(done["result"]!["rows"]!.GetValue<int>() == 6, message);
        Assert.True(done["progress"]!["percent"]!.GetValue<double>() == 100, message);
    }

    [Fact]
    public async Task Sigkill_PythonWorkerMidRun_LeaseExpires_SecondWorkerResumesFromCheckpoint_NoneLostNoneTwice()
    {
        await StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++) ids.Add(await StartReportAsync(rows: 12, delay: 0.25));
        var first = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "first", concurrency: 4);
        await using (var events = await EventsAsync(ids[0]))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 3, LineTimeout, Ct);
            first.Kill();
        }
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);

        var second = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "second", concurrency: 4);
        foreach (var id in ids)
        {
            var op = await Api.WaitDoneAsync(ClientKey, id, DoneTimeout);
            var message = $"{op.ToJsonString()}\n{Env.Logs}";
            Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
            Assert.True(op["attempt"]!.GetValue<int>() == 2, message);
            Assert.True(op["result"]!["rows"]!.GetValue<int>() == 12, message);
            var log = await LogAsync(id);
            // Exactly one completion, and every row output once per attempt that reached it: the second attempt
            // starts after the checkpoint the first one saved (none repeated beyond the one row in flight).
            Assert.True(log.Count(e => e.Type == "done") == 1, message);
            Assert.True(log.Count(e => e.Type == "status" && e.Json!["status"]!.GetValue<string>() == "succeeded") == 1, message);
            var resumedFrom = op["result"]!["resumed_from"]!.GetValue<int>();
            var secondRows = log.Where(e => e.Type == "output" && e.Json!["attempt"]!.GetValue<int>() == 2).Select(e => e.Json!["row"]!.GetValue<int>()).ToList();
            Assert.True(secondRows.SequenceEqual(Enumerable.Range(resumedFrom + 1, 12 - resumedFrom)), message);
            var firstRows = log.Where(e => e.Type == "output" && e.Json!["attempt"]!.GetValue<int>() == 1).Select(e => e.Json!["row"]!.GetValue<int>()).ToList();
            Assert.True(firstRows.SequenceEqual(Enumerable.Range(1, firstRows.Count)) && firstRows.Count >= resumedFrom, message);
        }
        Assert.True((await Api.WaitDoneAsync(ClientKey, ids[0], DoneTimeout))["result"]!["resumed_from"]!.GetValue<int>() >= 3, Env.Logs);
        foreach (var id in ids)
        {
            // The worker logs the completion after the server answered it: await the line, then count.
            await second.WaitForLineAsync(l => l.Contains($"completed {id}", StringComparison.Ordinal), LineTimeout, Ct);
            Assert.True(second.Output.Split('\n').Count(l => l.Contains($"completed {id}", StringComparison.Ordinal)) == 1, Env.Logs);
        }
        Assert.DoesNotContain("completed", first.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zombie_SigstopPastLease_AnotherWorkerFinishes_AfterSigcontEveryWriteIs409AndNothingChanges()
    {
        await StartAsync();
        var id = await StartReportAsync(rows: 16, delay: 0.2);
        // No cancel watch: the zombie learns of its lost lease only from its own writes and heartbeats (409).
        var zombie = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "zombie", "report", 1, "--no-watch");
        await using (var events = await EventsAsync(id))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 2, LineTimeout, Ct);
            zombie.Pause();
        }
        try
        {
            var other = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "other", concurrency: 1);
            var done = await Api.WaitDoneAsync(ClientKey, id, DoneTimeout);
            Assert.True(done["status"]!.GetValue<string>() == "succeeded" && done["attempt"]!.GetValue<int>() == 2, $"{done.ToJsonString()}\n{Env.Logs}");
            await other.WaitForLineAsync(l => l.Contains($"completed {id}", StringComparison.Ordinal), LineTimeout, Ct);
        }
        finally
        {
            zombie.Resume();
        }

        // The zombie's next write (its checkpoint, output or heartbeat) is fenced: 409 lease_lost, and it stops.
        await zombie.WaitForLineAsync(l => l.Contains("lease_lost", StringComparison.Ordinal), LineTimeout, Ct);
        await zombie.WaitForLineAsync(l => l.Contains($"lease lost {id}; stopped", StringComparison.Ordinal), LineTimeout, Ct);
        var after = await Api.GetAsync(ClientKey, $"/v1/operations/{id}");
        var logAfter = await LogAsync(id);
        var message = $"{after.ToJsonString()}\n{Env.Logs}";
        Assert.True(after["status"]!.GetValue<string>() == "succeeded" && after["attempt"]!.GetValue<int>() == 2, message);
        Assert.True(logAfter.Count(e => e.Type == "output" && e.Json!["attempt"]!.GetValue<int>() == 1) <= 4, message);
        Assert.DoesNotContain($"completed {id}", zombie.Output, StringComparison.Ordinal);
        Assert.True(logAfter[^1].Type == "done" && logAfter.Count(e => e.Type == "done") == 1, message);
    }

    [Fact]
    public async Task Cancel_RemoteOperationRunning_WorkerStopsAndRecordsCancelled()
    {
        await StartAsync();
        var id = await Api.StartAsync(ClientKey, "wait_cancel", new JsonObject { ["seconds"] = 60 });
        var worker = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "w1", kinds: "wait_cancel");
        await worker.WaitForLineAsync(l => l.Contains($"claimed {id}", StringComparison.Ordinal), LineTimeout, Ct);

        var (status, body) = await Api.PostAsync($"/v1/operations/{id}/cancel", ClientKey, "{}");
        Assert.True((int)status is 200 or 202, $"{(int)status} {body?.ToJsonString()}");
        var op = await Api.WaitDoneAsync(ClientKey, id, DoneTimeout);

        Assert.True(op["status"]!.GetValue<string>() == "cancelled", $"{op.ToJsonString()}\n{Env.Logs}");
        await worker.WaitForLineAsync(l => l.Contains($"cancelled {id}", StringComparison.Ordinal), LineTimeout, Ct);
    }

    [Fact]
    public async Task Deadline_RemoteOperationRunningPastItsTimeout_FailsDeadlineExceeded_AndTheWorkerStops()
    {
        await StartAsync();
        // The worker first, so that it claims the operation long before its deadline (not the reaper failing it pending).
        var worker = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "w1", kinds: "wait_cancel");
        var (status, body) = await Api.PostAsync("/v1/operations", ClientKey, """{"kind":"wait_cancel","input":{"seconds":60},"options":{"timeout_seconds":5}}""");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, status);
        var id = body!["id"]!.GetValue<string>();
        await worker.WaitForLineAsync(l => l.Contains($"claimed {id}", StringComparison.Ordinal), LineTimeout, Ct);

        var op = await Api.WaitDoneAsync(ClientKey, id, DoneTimeout);

        Assert.True(op["status"]!.GetValue<string>() == "failed" && op["error"]!["code"]!.GetValue<string>() == "deadline_exceeded", $"{op.ToJsonString()}\n{Env.Logs}");
        await worker.WaitForLineAsync(l => l.Contains($"lease lost {id}; stopped", StringComparison.Ordinal), LineTimeout, Ct);
    }

    [Fact]
    public async Task Sigterm_WorkerWithRunningOperation_HandsItBackAfterTheGracePeriod_AttemptNotCounted()
    {
        await StartAsync();
        var id = await Api.StartAsync(ClientKey, "wait_cancel", new JsonObject { ["seconds"] = 60 });
        var worker = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "w1", "wait_cancel", 2, "--grace-seconds", "0.5");
        await worker.WaitForLineAsync(l => l.Contains($"claimed {id}", StringComparison.Ordinal), LineTimeout, Ct);

        worker.Terminate();
        await worker.WaitForLineAsync(l => l.Contains($"handed back {id}", StringComparison.Ordinal), LineTimeout, Ct);
        var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(20), Ct);

        var op = await Api.GetAsync(ClientKey, $"/v1/operations/{id}");
        var message = $"{op.ToJsonString()}\n{Env.Logs}";
        Assert.True(exit == 0, message);
        Assert.True(op["status"]!.GetValue<string>() == "pending", message);
        await using (var events = await EventsAsync(id))
        {
            await events.ReadUntilAsync(e => e.Type == "status" && e.Json!["reason"]?.GetValue<string>() == "handed_back", LineTimeout, Ct);
        }
        var again = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "w2", kinds: "wait_cancel");
        await again.WaitForLineAsync(l => l.Contains($"claimed {id} kind=wait_cancel attempt=1", StringComparison.Ordinal), LineTimeout, Ct);
    }

    [Fact]
    public async Task Workers_ListedForOperators_WithKeyNodeKindsAndRunning_IdleThenGoneAfterMissedHeartbeats_OwnTenantOnly()
    {
        var globexClient = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--tenant", "globex");
        var globexWorker = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--scope", "worker", "--tenant", "globex");
        await StartAsync();
        var id = await Api.StartAsync(ClientKey, "wait_cancel", new JsonObject { ["seconds"] = 60 });
        var worker = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "w1", kinds: "wait_cancel");
        await PythonWorker.StartAsync(Env, Server.BaseAddress, globexWorker, "g1", kinds: "noop");
        await worker.WaitForLineAsync(l => l.Contains($"claimed {id}", StringComparison.Ordinal), LineTimeout, Ct);

        static JsonNode? Named(JsonNode list, string name) => list["workers"]!.AsArray().SingleOrDefault(x => x!["name"]!.GetValue<string>() == name);
        var active = await Eventually.ValueAsync(() => Api.GetAsync(ClientKey, "/v1/workers"), w => Named(w, "w1")?["running"]!.GetValue<int>() == 1, LineTimeout);
        var entry = Named(active, "w1")!;
        Assert.True(entry["status"]!.GetValue<string>() == "active" && entry["tenant"]!.GetValue<string>() == "acme", active.ToJsonString());
        Assert.Equal(["wait_cancel"], entry["kinds"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.True(entry["key_id"]!.GetValue<string>().Length > 0 && entry["node"]!.GetValue<string>().Length > 0, active.ToJsonString());
        Assert.True(entry["first_seen_at"]!.GetValue<DateTimeOffset>() <= entry["last_seen_at"]!.GetValue<DateTimeOffset>(), active.ToJsonString());
        Assert.NotNull(entry["last_claim_at"]!.GetValue<DateTimeOffset?>());
        // Tenant-scoped keys see their own tenant's workers only.
        Assert.Null(Named(active, "g1"));
        var theirs = await Eventually.ValueAsync(() => Api.GetAsync(globexClient, "/v1/workers"), w => Named(w, "g1") is not null, LineTimeout);
        Assert.Null(Named(theirs, "w1"));
        Assert.Equal("idle", Named(theirs, "g1")!["status"]!.GetValue<string>());

        var (cancelled, _) = await Api.SendAsync(HttpMethod.Post, $"/v1/operations/{id}/cancel", ClientKey);
        Assert.True(cancelled is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{cancelled}\n{Env.Logs}");
        await Api.WaitDoneAsync(ClientKey, id, DoneTimeout);
        await Eventually.ValueAsync(() => Api.GetAsync(ClientKey, "/v1/workers"),
            w => Named(w, "w1") is { } x && x["status"]!.GetValue<string>() == "idle" && x["running"]!.GetValue<int>() == 0, LineTimeout);

        worker.Kill();
        await Eventually.ValueAsync(() => Api.GetAsync(ClientKey, "/v1/workers"),
            w => Named(w, "w1") is { } x && x["status"]!.GetValue<string>() == "gone" && x["running"]!.GetValue<int>() == 0, LineTimeout);
    }
}
