using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>The worker protocol spoken directly over HTTP: scopes, tenant isolation and bad input (4xx, nothing changed).</summary>
public sealed class RemoteWorkerProtocolTests : RemoteWorkerTest
{
    [Fact]
    public async Task TenantIsolation_WorkerKeyOfAcme_NeverClaimsGlobexOperations_AllTenantKeyClaimsBoth()
    {
        var globexClient = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--tenant", "globex");
        var allTenants = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--scope", "worker", "--all-tenants", "--kinds", "noop");
        await StartAsync(LongLease);
        var theirs = await Api.StartAsync(globexClient, "noop", new JsonObject());
        var mine = await Api.StartAsync(ClientKey, "noop", new JsonObject());

        var claim = await ClaimAsync(WorkerKey, "noop", max: 10);
        Assert.Equal([mine], claim.Select(o => o["id"]!.GetValue<string>()));
        Assert.Empty(await ClaimAsync(WorkerKey, "noop", max: 10));
        var platform = await ClaimAsync(allTenants, "noop", max: 10);
        Assert.Equal([theirs], platform.Select(o => o["id"]!.GetValue<string>()));
        Assert.Equal("globex", platform[0]["tenant"]!.GetValue<string>());

        // The acme worker key cannot write to the globex operation it holds no lease of, even with a valid token.
        var foreignToken = platform[0]["lease"]!["token"]!.GetValue<string>();
        var before = await Api.GetAsync(globexClient, $"/v1/operations/{theirs}");
        var (status, body) = await Api.PostAsync("/v1/leases/complete", WorkerKey, new JsonObject { ["lease"] = foreignToken, ["result"] = 1 });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("lease_lost", body!["code"]!.GetValue<string>());
        Assert.Equal(before.ToJsonString(), (await Api.GetAsync(globexClient, $"/v1/operations/{theirs}")).ToJsonString());
    }

    [Fact]
    public async Task Scopes_ClientKeyCannotClaim_WorkerKeyCannotStartListReadOrDelete_403WrongKeyScope()
    {
        await StartAsync(LongLease);
        var id = await Api.StartAsync(ClientKey, "noop", new JsonObject());

        var claims = await Api.PostAsync("/v1/workers/claim", ClientKey, """{"worker":"w","kinds":["noop"]}""");
        var start = await Api.PostAsync("/v1/operations", WorkerKey, """{"kind":"noop","input":{}}""");
        var list = await Api.SendAsync(HttpMethod.Get, "/v1/operations", WorkerKey);
        var read = await Api.SendAsync(HttpMethod.Get, $"/v1/operations/{id}", WorkerKey);
        var delete = await Api.SendAsync(HttpMethod.Delete, $"/v1/operations/{id}", WorkerKey);

        foreach (var (status, body) in new[] { claims, start, list, read, delete })
        {
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("wrong_key_scope", body!["code"]!.GetValue<string>());
        }
        var op = await Api.GetAsync(ClientKey, $"/v1/operations/{id}");
        Assert.Equal("pending", op["status"]!.GetValue<string>());
        var (total, _) = await Api.SendAsync(HttpMethod.Get, "/v1/operations", ClientKey);
        Assert.Equal(HttpStatusCode.OK, total);
    }

    [Fact]
    public async Task Start_RemoteKindInputAgainstItsSchema_422WithFieldPathsLikeBuiltInKinds()
    {
        await StartAsync(LongLease);

        var (status, body) = await Api.PostAsync("/v1/operations", ClientKey, """{"kind":"report","input":{"rows":"many","extra":1}}""");
        var (missing, missingBody) = await Api.PostAsync("/v1/operations", ClientKey, """{"kind":"report","input":{}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var errors = body!["errors"]!.AsObject();
        Assert.Contains("input.rows", errors.Select(e => e.Key));
        Assert.Contains("input.extra", errors.Select(e => e.Key));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing);
        Assert.Equal(["is required"], missingBody!["errors"]!["input.rows"]!.AsArray().Select(m => m!.GetValue<string>()));
        var kinds = await Api.GetAsync(ClientKey, "/v1/kinds");
        var report = kinds["kinds"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "report")!;
        Assert.Equal("object", report["input_schema"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadInput_MalformedTokensHugeBatchesUnknownKindsAndWritesAfterCompletion_4xxAndNothingChanged()
    {
        await StartAsync(LongLease, ("Longhaul__Http__MaxOutputChunks", "10"), ("Longhaul__Http__MaxWorkerBodyBytes", "4096"));
        var id = await StartReportAsync(rows: 3, delay: 0);
        var claimed = Assert.Single(await ClaimAsync(WorkerKey, "report", max: 1));
        var token = claimed["lease"]!["token"]!.GetValue<string>();
        var before = await SnapshotAsync(id);

        await ExpectAsync("/v1/leases/progress", new JsonObject { ["lease"] = "garbage", ["progress"] = new JsonObject { ["current"] = 1 } }, 400, "lease_token_invalid");
        await ExpectAsync("/v1/leases/progress", new JsonObject { ["lease"] = Tamper(token), ["progress"] = new JsonObject { ["current"] = 1 } }, 400, "lease_token_invalid");
        await ExpectAsync("/v1/leases/checkpoint", new JsonObject { ["lease"] = token }, 422, "validation_failed");
        await ExpectAsync("/v1/leases/output", new JsonObject { ["lease"] = token, ["chunks"] = new JsonArray([.. Enumerable.Range(0, 11).Select(i => (JsonNode)i)]) }, 422, "validation_failed");
        await ExpectAsync("/v1/leases/output", new JsonObject { ["lease"] = token, ["chunks"] = new JsonArray(new string('x', 5000)) }, 413, "body_too_large");
        await ExpectAsync("/v1/leases/fail", new JsonObject { ["lease"] = token, ["code"] = "Bad Code!", ["message"] = "m" }, 422, "validation_failed");
        await ExpectAsync("/v1/leases/cancelled", new JsonObject { ["lease"] = token }, 422, "validation_failed");
        await ExpectAsync("/v1/workers/claim", new JsonObject { ["worker"] = "w", ["kinds"] = new JsonArray("sleep", "nope") }, 422, "validation_failed");
        await ExpectAsync("/v1/workers/claim", new JsonObject { ["worker"] = "w" }, 422, "validation_failed");
        var (malformed, malformedBody) = await Api.PostAsync("/v1/leases/progress", WorkerKey, "{\"lease\":");
        Assert.Equal(HttpStatusCode.BadRequest, malformed);
        Assert.Equal("malformed_json", malformedBody!["code"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync(id));

        var (completed, _) = await Api.PostAsync("/v1/leases/complete", WorkerKey, new JsonObject { ["lease"] = token, ["result"] = new JsonObject { ["ok"] = true } });
        Assert.Equal(HttpStatusCode.NoContent, completed);
        var after = await SnapshotAsync(id);
        Assert.Contains("succeeded", after, StringComparison.Ordinal);

        // Writes after completion, with the once-valid token: every one 409 lease_lost, nothing changed.
        await ExpectAsync("/v1/leases/progress", new JsonObject { ["lease"] = token, ["progress"] = new JsonObject { ["current"] = 2 } }, 409, "lease_lost");
        await ExpectAsync("/v1/leases/checkpoint", new JsonObject { ["lease"] = token, ["checkpoint"] = new JsonObject { ["row"] = 2 } }, 409, "lease_lost");
        await ExpectAsync("/v1/leases/output", new JsonObject { ["lease"] = token, ["chunks"] = new JsonArray("late") }, 409, "lease_lost");
        await ExpectAsync("/v1/leases/complete", new JsonObject { ["lease"] = token }, 409, "lease_lost");
        await ExpectAsync("/v1/leases/fail", new JsonObject { ["lease"] = token, ["code"] = "late", ["message"] = "late", ["retryable"] = true }, 409, "lease_lost");
        await ExpectAsync("/v1/leases/hand-back", new JsonObject { ["lease"] = token }, 409, "lease_lost");
        await ExpectAsync("/v1/leases/heartbeat", new JsonObject { ["leases"] = new JsonArray(token) }, 409, "lease_lost");
        Assert.Equal(after, await SnapshotAsync(id));
    }

    [Fact]
    public async Task Fail_RetryableWithAttemptsLeft_RetriesWithBackoff_ThenPermanentFailIsFinal()
    {
        await StartAsync(LongLease, ("Longhaul__RetryBaseDelay", "00:00:00.100"), ("Longhaul__RetryMaxDelay", "00:00:00.200"));
        var id = await StartReportAsync(rows: 1, delay: 0);
        var first = Assert.Single(await ClaimAsync(WorkerKey, "report", max: 1));

        var (retry, retryBody) = await Api.PostAsync("/v1/leases/fail", WorkerKey, new JsonObject
        {
            ["lease"] = first["lease"]!["token"]!.GetValue<string>(), ["code"] = "upstream_busy", ["message"] = "busy", ["retryable"] = true,
        });
        Assert.Equal(HttpStatusCode.OK, retry);
        Assert.Equal("retry", retryBody!["outcome"]!.GetValue<string>());
        var second = await Eventually.ValueAsync(() => ClaimAsync(WorkerKey, "report", max: 1, wait: 1), c => c.Count == 1, TimeSpan.FromSeconds(20));
        Assert.Equal(2, Assert.Single(second)["attempt"]!.GetValue<int>());

        var (failed, failedBody) = await Api.PostAsync("/v1/leases/fail", WorkerKey, new JsonObject
        {
            ["lease"] = second[0]["lease"]!["token"]!.GetValue<string>(), ["code"] = "bad_rows", ["message"] = "The rows are bad.", ["details"] = new JsonObject { ["row"] = 1 },
        });
        Assert.Equal(HttpStatusCode.OK, failed);
        Assert.Equal("failed", failedBody!["outcome"]!.GetValue<string>());
        var op = await Api.GetAsync(ClientKey, $"/v1/operations/{id}");
        Assert.Equal("failed", op["status"]!.GetValue<string>());
        Assert.Equal("bad_rows", op["error"]!["code"]!.GetValue<string>());
        Assert.Equal(1, op["error"]!["details"]!["row"]!.GetValue<int>());

        // Remote attempts are in the meters like the engine's own.
        var metrics = PrometheusText.Parse(await Server.Http.GetStringAsync("/metrics", Ct));
        Assert.Equal(2, metrics.Sum("longhaul_operation_attempts_total", ("kind", "report")));
        Assert.Equal(1, metrics.Sum("longhaul_operation_retries_total", ("kind", "report")));
        Assert.Equal(1, metrics.Sum("longhaul_operations_finished_total", ("kind", "report"), ("status", "failed"), ("error_code", "bad_rows")));
    }

    private async Task<List<JsonNode>> ClaimAsync(string key, string kind, int max, double wait = 0)
    {
        var (status, body) = await Api.PostAsync("/v1/workers/claim", key, new JsonObject
        {
            ["worker"] = "test", ["kinds"] = new JsonArray(kind), ["max"] = max, ["wait_seconds"] = wait,
        });
        Assert.True(status == HttpStatusCode.OK, $"claim answered {(int)status}: {body?.ToJsonString()}\n{Env.Logs}");
        return [.. body!["operations"]!.AsArray().Select(o => o!)];
    }

    private async Task ExpectAsync(string path, JsonObject body, int status, string code)
    {
        var (actual, problem) = await Api.PostAsync(path, WorkerKey, body);
        Assert.True((int)actual == status && problem?["code"]?.GetValue<string>() == code,
            $"POST {path} answered {(int)actual} {problem?.ToJsonString()}, expected {status} {code}");
    }

    /// <summary>The operation and its whole event log, as text: equal before and after means nothing changed.</summary>
    private async Task<string> SnapshotAsync(string id)
    {
        var op = await Api.GetAsync(ClientKey, $"/v1/operations/{id}");
        await using var events = await SseStream.OpenAsync(ClientHttp, $"/v1/operations/{id}/events?after=0", null, Ct);
        var seq = op["done"]!.GetValue<bool>() ? await events.ReadToEndAsync(TimeSpan.FromSeconds(10), Ct) : await ReadAvailableAsync(events);
        return op.ToJsonString() + "\n" + string.Join("\n", seq);
    }

    private static async Task<IReadOnlyList<SseEvent>> ReadAvailableAsync(SseStream events)
    {
        // A running operation's stream stays open: read what is there (the log so far ends with the last event written).
        var read = new List<SseEvent>();
        while (true)
        {
            try
            {
                var next = await events.ReadAsync(TimeSpan.FromSeconds(1), Ct);
                if (next is null) return read;
                read.Add(next);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or Xunit.Sdk.XunitException)
            {
                return read;
            }
        }
    }

    private static string Tamper(string token) => token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
}
