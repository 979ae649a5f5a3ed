using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Traces exported over OTLP/HTTP (protobuf) by real <c>longhaul serve</c> processes on PostgreSQL, an API node and a
/// worker node, into a local receiver: the client's trace holds the start request and its store write; the worker's
/// attempt is a trace of its own linked to it (through the <c>traceparent</c> stored with the operation); the upstream
/// call is the attempt's child and the upstream receives its <c>traceparent</c>. Metrics are exported too.
/// </summary>
public sealed class PostgresTracingTests : PostgresNodesTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task HttpOperation_ApiAndWorkerNodes_OneLinkedTraceReachesTheCollectorAndTheUpstream()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        await using var collector = await OtlpReceiver.StartAsync(ct);
        string? upstreamTraceparent = null;
        var upstream = await StartUpstreamAsync(context =>
        {
            upstreamTraceparent = context.Request.Headers["traceparent"].ToString();
            return context.Response.WriteAsync("ok", context.RequestAborted);
        });
        var environment = Schema.Environment(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Address),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "500"),
            ("Longhaul__Egress__AllowedNetworks__0", "127.0.0.0/8"),
            ("Longhaul__Upstreams__echo__BaseUrl", upstream.Address));
        var api = await Env.StartNodeAsync(environment, "--role", "api");
        var worker = await Env.StartNodeAsync(environment, "--role", "worker");

        var clientTrace = ActivityTraceId.CreateRandom().ToHexString();
        var clientSpan = ActivitySpanId.CreateRandom().ToHexString();
        var body = new JsonObject { ["kind"] = "http", ["input"] = new JsonObject { ["upstream"] = "echo", ["method"] = "GET", ["path"] = "/x" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/operations") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{clientTrace}-{clientSpan}-01");
        string id;
        using (var response = await api.Http.SendAsync(request, ct))
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{text}\n{Env.Logs}");
            id = JsonNode.Parse(text)!["id"]!.GetValue<string>();
        }
        var done = await Env.WaitUntilDoneAsync(api, id, Timeout);
        Assert.True(done["status"]!.GetValue<string>() == "succeeded", $"{done.ToJsonString()}\n{Env.Logs}");

        static OtlpSpan? Attempt(OtlpReceiver r, string id) => r.Spans.FirstOrDefault(s => s.Name == "longhaul.attempt http" && s.Attributes.GetValueOrDefault("longhaul.operation.id") == id);
        await collector.WaitUntilAsync(r =>
            r.Spans.Any(s => s.Name == "longhaul.store.start" && s.TraceId == clientTrace)
            && Attempt(r, id) is { } attempt
            && r.Spans.Any(s => s.Scope == "System.Net.Http" && s.ParentSpanId == attempt.SpanId)
            && r.MetricExports.Any(m => Encoding.UTF8.GetString(m).Contains("longhaul.operation.attempts", StringComparison.Ordinal)),
            Timeout, ct);

        var spans = collector.Spans;
        var message = $"{string.Join("\n", spans)}\n{Env.Logs}";
        var server = Assert.Single(spans, s => s.Scope == "Microsoft.AspNetCore" && s.TraceId == clientTrace);
        Assert.True(server.ParentSpanId == clientSpan, message);
        Assert.True(server.Name == "POST /v1/operations", message);
        Assert.Equal("POST", server.Attributes.GetValueOrDefault("http.request.method"));
        Assert.Equal("/v1/operations", server.Attributes.GetValueOrDefault("http.route"));
        Assert.Equal("/v1/operations", server.Attributes.GetValueOrDefault("url.path"));
        Assert.Equal("202", server.Attributes.GetValueOrDefault("http.response.status_code"));
        var store = Assert.Single(spans, s => s.Name == "longhaul.store.start" && s.TraceId == clientTrace);
        Assert.True(store.ParentSpanId == server.SpanId, message);
        var attempt = Attempt(collector, id)!;
        Assert.True(attempt.TraceId != clientTrace && attempt.ParentSpanId == "", message);
        Assert.True(attempt.Links.Count == 1 && attempt.Links[0].TraceId == clientTrace && attempt.Links[0].SpanId == server.SpanId, message);
        var call = Assert.Single(spans, s => s.Scope == "System.Net.Http" && s.ParentSpanId == attempt.SpanId);
        Assert.True(call.TraceId == attempt.TraceId, message);
        Assert.True(upstreamTraceparent?.StartsWith($"00-{attempt.TraceId}-{call.SpanId}-", StringComparison.Ordinal) == true, $"upstream saw '{upstreamTraceparent}'\n{message}");
        _ = worker;
    }
}
