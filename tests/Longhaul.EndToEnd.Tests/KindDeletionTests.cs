using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// <c>DELETE /v1/kinds/{name}</c>: a kind registered at run time is deleted by a worker key allowed for it; refused with
/// 409 <c>kind_in_use</c> while its operations are pending or running unless <c>force=true</c> (which cancels them);
/// built-in and configured kinds are not deletable; bad input gets a problem document and changes nothing.
/// </summary>
public sealed class KindDeletionTests : RemoteWorkerTest
{
    [Fact]
    public async Task Delete_UnusedKind_204_ThenUnknownToStartsClaimsAndTheList()
    {
        await StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await Api.PutAsync("/v1/kinds/resize", WorkerKey, "{}")).Status);

        var (deleted, body) = await Api.SendAsync(HttpMethod.Delete, "/v1/kinds/resize", WorkerKey);
        Assert.True(deleted == HttpStatusCode.NoContent, $"{(int)deleted} {body?.ToJsonString()}\n{Env.Logs}");

        Assert.DoesNotContain((await Api.GetAsync(ClientKey, "/v1/kinds"))["kinds"]!.AsArray(), k => k!["name"]!.GetValue<string>() == "resize");
        var (start, startBody) = await Api.PostAsync("/v1/operations", ClientKey, """{"kind":"resize","input":{}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, start);
        Assert.Contains("kind", startBody!["errors"]!.AsObject().Select(e => e.Key));
        var (claim, _) = await Api.PostAsync("/v1/workers/claim", WorkerKey, """{"worker":"w","kinds":["resize"]}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, claim);
        var (again, againBody) = await Api.SendAsync(HttpMethod.Delete, "/v1/kinds/resize", WorkerKey);
        Assert.Equal((HttpStatusCode.NotFound, "kind_not_found"), (again, againBody!["code"]!.GetValue<string>()));
        // Registered again: a new kind.
        Assert.Equal(HttpStatusCode.Created, (await Api.PutAsync("/v1/kinds/resize", WorkerKey, "{}")).Status);
    }

    [Fact]
    public async Task Delete_KindWithPendingAndRunningOperations_409KindInUse_ForceCancelsThem()
    {
        await StartAsync(LongLease);
        Assert.Equal(HttpStatusCode.Created, (await Api.PutAsync("/v1/kinds/resize", WorkerKey, "{}")).Status);
        var running = await Api.StartAsync(ClientKey, "resize", new JsonObject());
        var (claimed, claimBody) = await Api.PostAsync("/v1/workers/claim", WorkerKey, """{"worker":"w","kinds":["resize"]}""");
        Assert.Equal(HttpStatusCode.OK, claimed);
        Assert.Equal([running], claimBody!["operations"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
        var token = claimBody["operations"]![0]!["lease"]!["token"]!.GetValue<string>();
        var pending = await Api.StartAsync(ClientKey, "resize", new JsonObject());

        var (refused, refusedBody) = await Api.SendAsync(HttpMethod.Delete, "/v1/kinds/resize", WorkerKey);
        Assert.Equal((HttpStatusCode.Conflict, "kind_in_use"), (refused, refusedBody!["code"]!.GetValue<string>()));
        Assert.Contains((await Api.GetAsync(ClientKey, "/v1/kinds"))["kinds"]!.AsArray(), k => k!["name"]!.GetValue<string>() == "resize");
        Assert.Equal("pending", (await Api.GetAsync(ClientKey, $"/v1/operations/{pending}"))["status"]!.GetValue<string>());

        var (forced, forcedBody) = await Api.SendAsync(HttpMethod.Delete, "/v1/kinds/resize?force=true", WorkerKey);
        Assert.True(forced == HttpStatusCode.NoContent, $"{(int)forced} {forcedBody?.ToJsonString()}\n{Env.Logs}");

        Assert.Equal("cancelled", (await Api.GetAsync(ClientKey, $"/v1/operations/{pending}"))["status"]!.GetValue<string>());
        var stopping = await Api.GetAsync(ClientKey, $"/v1/operations/{running}");
        Assert.True(stopping["status"]!.GetValue<string>() == "running" && stopping["cancel_requested"]!.GetValue<bool>(), stopping.ToJsonString());
        // The running attempt learns of the cancel at its next heartbeat and ends it, as for any cancel.
        var (beat, beatBody) = await Api.PostAsync("/v1/leases/heartbeat", WorkerKey, new JsonObject { ["leases"] = new JsonArray(token), ["worker"] = "w" });
        Assert.Equal(HttpStatusCode.OK, beat);
        Assert.True(beatBody!["leases"]![0]!["cancel_requested"]!.GetValue<bool>(), beatBody.ToJsonString());
        var (ended, _) = await Api.PostAsync("/v1/leases/cancelled", WorkerKey, new JsonObject { ["lease"] = token });
        Assert.Equal(HttpStatusCode.NoContent, ended);
        Assert.Equal("cancelled", (await Api.WaitDoneAsync(ClientKey, running, DoneTimeout))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_BuiltInConfiguredUnknownOrOutOfScope_ProblemDocumentsAndNothingChanged()
    {
        var allTenants = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--scope", "worker", "--all-tenants");
        var limited = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--scope", "worker", "--tenant", "acme", "--kinds", "noop");
        await StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await Api.PutAsync("/v1/kinds/resize", WorkerKey, "{}")).Status);
        Assert.Equal(HttpStatusCode.Created, (await Api.PutAsync("/v1/kinds/platform", allTenants, "{}")).Status);
        var before = (await Api.GetAsync(ClientKey, "/v1/kinds")).ToJsonString();

        var cases = new (string Path, string Key, HttpStatusCode Status, string Code)[]
        {
            ("/v1/kinds/sleep", WorkerKey, HttpStatusCode.Conflict, "kind_not_deletable"),
            ("/v1/kinds/report", allTenants, HttpStatusCode.Conflict, "kind_not_deletable"),
            ("/v1/kinds/nope", WorkerKey, HttpStatusCode.NotFound, "kind_not_found"),
            ("/v1/kinds/a%20b", WorkerKey, HttpStatusCode.NotFound, "kind_not_found"),
            ("/v1/kinds/platform", WorkerKey, HttpStatusCode.Forbidden, "wrong_key_scope"),
            ("/v1/kinds/resize", allTenants, HttpStatusCode.Forbidden, "wrong_key_scope"),
            ("/v1/kinds/resize", ClientKey, HttpStatusCode.Forbidden, "wrong_key_scope"),
            ("/v1/kinds/resize", limited, HttpStatusCode.Forbidden, "wrong_key_scope"),
            ("/v1/kinds/resize?force=yes", WorkerKey, HttpStatusCode.BadRequest, "invalid_parameter"),
        };
        foreach (var (path, key, expected, code) in cases)
        {
            var (status, body) = await Api.SendAsync(HttpMethod.Delete, path, key);
            Assert.True(status == expected && body?["code"]?.GetValue<string>() == code, $"{path}: {(int)status} {body?.ToJsonString()}");
        }
        Assert.Equal(before, (await Api.GetAsync(ClientKey, "/v1/kinds")).ToJsonString());
    }

    [Fact]
    public async Task PythonSample_ListWorkersAndUnregister_UseTheEndpoints()
    {
        await StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await Api.PutAsync("/v1/kinds/resize", WorkerKey, "{}")).Status);
        var worker = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "w1", kinds: "noop");
        await Eventually.ValueAsync(() => Api.GetAsync(ClientKey, "/v1/workers"), w => w["workers"]!.AsArray().Count == 1, LineTimeout);

        var (listExit, listed) = await RunSampleAsync(ClientKey, "--list-workers");
        var (deleteExit, deleted) = await RunSampleAsync(WorkerKey, "--unregister", "resize");
        var (againExit, again) = await RunSampleAsync(WorkerKey, "--unregister", "resize");

        Assert.True(listExit == 0 && listed.Contains("\"name\":\"w1\"", StringComparison.Ordinal) && listed.Contains("\"status\":", StringComparison.Ordinal), listed);
        Assert.True(deleteExit == 0 && deleted.Contains("deleted kind resize", StringComparison.Ordinal), deleted);
        Assert.True(againExit == 2 && again.Contains("kind_not_found", StringComparison.Ordinal), again);
        Assert.DoesNotContain((await Api.GetAsync(ClientKey, "/v1/kinds"))["kinds"]!.AsArray(), k => k!["name"]!.GetValue<string>() == "resize");
        worker.Terminate();
    }

    private async Task<(int Exit, string Output)> RunSampleAsync(string key, params string[] args)
    {
        var process = LonghaulProcess.Start("python3", ["-u", Path.Combine(PythonWorker.Directory, "longhaul_worker.py"), "--url", Server.BaseAddress.ToString().TrimEnd('/'), .. args],
            new Dictionary<string, string> { ["LONGHAUL_API_KEY"] = key, ["PYTHONDONTWRITEBYTECODE"] = "1" }, PythonWorker.Directory);
        Env.Adopt(process);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
        return (exit, process.Output);
    }
}
