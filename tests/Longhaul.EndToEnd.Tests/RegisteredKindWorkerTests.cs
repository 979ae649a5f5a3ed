using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>A kind no configuration declares: the Python worker registers it at start (<c>--register</c>), then runs it.</summary>
public sealed class RegisteredKindWorkerTests : RemoteWorkerTest
{
    [Fact]
    public async Task PythonWorker_RegistersReportAtStart_ClientStartsIt_WorkerRunsIt()
    {
        await StartAsync(remoteKinds: false);
        var (unknown, _) = await Api.PostAsync("/v1/operations", ClientKey, """{"kind":"report","input":{"rows":2}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown);

        await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "w1", "report", 4, "--register", "report=" + PythonWorker.ReportSchema);
        var (invalid, invalidBody) = await Api.PostAsync("/v1/operations", ClientKey, """{"kind":"report","input":{"rows":"two"}}""");
        var id = await StartReportAsync(rows: 3, delay: 0);
        var op = await Api.WaitDoneAsync(ClientKey, id, DoneTimeout);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid);
        Assert.Contains("input.rows", invalidBody!["errors"]!.AsObject().Select(e => e.Key));
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", $"{op.ToJsonString()}\n{Env.Logs}");
        Assert.Equal(3, op["result"]!["rows"]!.GetValue<int>());
        var listed = (await Api.GetAsync(ClientKey, "/v1/kinds"))["kinds"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "report")!;
        Assert.Equal("object", listed["input_schema"]!["type"]!.GetValue<string>());
    }
}
