using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.Proxy;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Telemetry;

/// <summary>
/// Traces on the activity source <c>Longhaul</c>: a client's <c>traceparent</c> is honoured by the start request and
/// its store write; the attempt runs in a trace of its own linked to it; the <c>http</c> kind's upstream call is a child
/// of the attempt and the upstream receives its <c>traceparent</c>.
/// </summary>
public sealed class TraceLinkTests
{
    [Fact]
    public async Task HttpKindStart_WithClientTraceparent_AttemptTraceLinksToItAndUpstreamSeesTheAttemptTrace()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Longhaul" or "Microsoft.AspNetCore" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        string? seenTraceparent = null;
        await using var upstream = await FakeUpstream.StartAsync(async (context, _) =>
        {
            seenTraceparent = context.Request.Headers["traceparent"].ToString();
            await context.Response.WriteAsync("ok", context.RequestAborted);
        });
        var name = "t" + Guid.NewGuid().ToString("N")[..12];
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            [$"Longhaul:Upstreams:{name}:BaseUrl"] = upstream.Address.ToString().TrimEnd('/'),
        });
        var clientTrace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/operations") { Content = Http.Json(Http.Body("http", new { upstream = name, method = "GET", path = "/x" })) };
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{clientTrace}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await host.Client.SendAsync(request, Http.Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await Http.ReadJsonAsync(response)).Id();
        Assert.Equal("succeeded", (await host.Client.WaitDoneAsync(id)).Status());

        var ours = stopped.Where(a => a.Source.Name == "Longhaul" && (string?)a.GetTagItem("longhaul.operation.id") == id).ToList();
        var store = Assert.Single(ours, a => a.OperationName == "longhaul.store.start");
        var attempt = Assert.Single(ours, a => a.OperationName == "longhaul.attempt http");
        Assert.Equal(clientTrace, store.TraceId);
        Assert.NotEqual(clientTrace, attempt.TraceId);
        Assert.Equal(default, attempt.ParentSpanId);
        var link = Assert.Single(attempt.Links);
        Assert.Equal(clientTrace, link.Context.TraceId);
        Assert.Equal(1, attempt.GetTagItem("longhaul.operation.attempt"));
        Assert.Equal("succeeded", attempt.GetTagItem("longhaul.attempt.outcome"));

        var call = Assert.Single(stopped, a => a.Source.Name == "System.Net.Http" && a.TraceId == attempt.TraceId);
        Assert.Equal(attempt.SpanId, call.ParentSpanId);
        Assert.NotNull(seenTraceparent);
        Assert.StartsWith($"00-{attempt.TraceId}-{call.SpanId}-", seenTraceparent, StringComparison.Ordinal);
    }
}
