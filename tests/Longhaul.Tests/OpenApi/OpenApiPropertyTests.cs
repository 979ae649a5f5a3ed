using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Longhaul.AspNetCore;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Tests.OpenApi;

/// <summary>
/// A property-based run generated from /openapi/v1.json (FsCheck): valid and invalid requests to every operation of a
/// real server, with a client key, a worker key, a wrong key or none. Every answer is below 500, has a status the
/// document lists for the operation, and every 4xx (but to HEAD) is a problem document whose <c>code</c> the document
/// lists for that status.
/// </summary>
public sealed class OpenApiPropertyTests
{
    /// <summary>
    /// Codes any request may get before a route runs (the document's <c>info.description</c> lists them): the HTTP
    /// server's refusals, and 404 <c>not_found</c> for a path that matches no route (e.g. an empty segment).
    /// </summary>
    private static readonly Dictionary<int, string[]> AnyRequest = new()
    {
        [400] = [ProblemCodes.BadRequest], [404] = [ProblemCodes.NotFound], [408] = [ProblemCodes.RequestTimeout], [411] = [ProblemCodes.LengthRequired],
        [414] = [ProblemCodes.UriTooLong], [431] = [ProblemCodes.RequestHeadersTooLarge],
    };

    [Fact]
    public async Task Generated_requests_to_every_endpoint_never_get_a_server_error_and_every_4xx_carries_a_listed_code()
    {
        await using var host = await TestHost.StartAsync(api: o =>
        {
            o.LongPollMax = TimeSpan.FromMilliseconds(300);
            o.DiagnosticsHoldMax = TimeSpan.FromSeconds(1);
        }, tenants: ["acme"]);
        var workerKey = ApiKeys.NewKey();
        await host.Services.GetRequiredService<IOperationStore>().CreateApiKeyAsync(
            new CreateApiKeyParams(ApiKeys.NewId(), "acme", ApiKeys.Hash(workerKey), DateTimeOffset.UtcNow, ApiKeyScope.Worker), Http.Ct);
        using var worker = host.CreateClient(workerKey);
        (await worker.PutAsync("/v1/kinds/remote-echo", new StringContent("""{"input_schema":{"type":"object"}}""", Encoding.UTF8, "application/json"), Http.Ct)).EnsureSuccessStatusCode();
        var ids = new List<string>
        {
            await StartAsync(host.Client, """{"kind":"sleep","input":{"seconds":0}}"""),
            await StartAsync(host.Client, """{"kind":"sleep","input":{"seconds":3600}}"""),
            await StartAsync(host.Client, """{"kind":"remote-echo","input":{}}"""),
        };
        using (var put = await host.Client.PutAsync("/v1/uploads", new ByteArrayContent("hello"u8.ToArray()), Http.Ct)) ids.Add(put.Headers.Location!.ToString().Split('/')[^1]);
        var document = await OpenApiDocumentTests.FetchAsync(host);
        var generator = new RequestGenerator(document, ids);
        // The streams of /v1/events never end: probed for their status and headers only (see Send).
        var requests = generator.Requests((_, _) => false);
        var keys = new[] { host.Keys["acme"], workerKey, "lh_wrong", "" };
        var failures = new List<string>();
        var seen = new List<(string Operation, int Status)>();
        using var client = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(30) };
        var property = Prop.ForAll(Arb.From(Gen.Zip(requests, Gen.Frequency((7, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Elements(2, 3))))), pair =>
        {
            var (probe, key) = pair;
            // 0: the key the operation takes (a worker key for the worker protocol), 1: the other scope, 2: wrong, 3: none.
            var workerOperation = (string?)probe.Operation["tags"]?[0] == "Worker protocol" || (string?)probe.Operation["operationId"] == "registerKind";
            var chosen = key switch { 0 => workerOperation ? workerKey : host.Keys["acme"], 1 => workerOperation ? host.Keys["acme"] : workerKey, _ => keys[key] };
            var (status, failure) = SendAsync(client, probe, chosen).GetAwaiter().GetResult();
            lock (seen) seen.Add((probe.Method + " " + probe.Template, status));
            if (failure is not null) failures.Add(failure);
            return failure is null;
        });
        try
        {
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), property);
        }
        catch (Exception e)
        {
            Assert.Fail(string.Join("\n", failures.Distinct()) + "\n" + e.Message);
        }
        // Every operation was probed, and the run reached past the gates (2xx) as well as into them (4xx).
        var operations = document["paths"]!.AsObject().Sum(p => p.Value!.AsObject().Count);
        Assert.Equal(operations, seen.Select(s => s.Operation).Distinct().Count());
        Assert.True(seen.Count(s => s.Status < 300) > 50, "few successes: " + seen.Count(s => s.Status < 300));
        foreach (var group in seen.GroupBy(s => s.Status).OrderBy(g => g.Key)) TestContext.Current.TestOutputHelper?.WriteLine($"{group.Key}: {group.Count()}");
    }

    /// <summary>Sends the probe: the status, and null when the answer keeps the contract, else what is wrong.</summary>
    private static async Task<(int Status, string? Failure)> SendAsync(HttpClient client, RequestProbe probe, string key)
    {
        using var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Target);
        if (key.Length > 0) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        foreach (var (name, value) in probe.Headers) request.Headers.TryAddWithoutValidation(name, value);
        if (probe.Body is not null)
        {
            request.Content = new ByteArrayContent(probe.Body);
            if (probe.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", probe.ContentType);
        }
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Http.Ct);
        var status = (int)response.StatusCode;
        var streaming = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        var body = streaming || probe.Method == "HEAD" ? "" : await response.Content.ReadAsStringAsync(Http.Ct);
        return (status, Verdict(probe, response, status, body));
    }

    private static string? Verdict(RequestProbe probe, HttpResponseMessage response, int status, string body)
    {
        var where = $"{probe} → {status} {body}";
        if (status >= 500) return "server error: " + where;
        var responses = probe.Operation["responses"]!.AsObject();
        var listed = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (listed is null && responses["default"] is null && !AnyRequest.ContainsKey(status)) return "status not in the document: " + where;
        if (status < 400 || probe.Method == "HEAD") return null;
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return "not a problem document: " + where;
        var code = (string?)JsonNode.Parse(body)?["code"];
        var codes = listed?["x-problem-codes"]?.AsArray().Select(c => (string)c!).ToList() ?? [];
        if (code is null || !(codes.Contains(code) || AnyRequest.GetValueOrDefault(status)?.Contains(code) == true)) return $"code {code} not listed for {status}: " + where;
        return null;
    }

    private static async Task<string> StartAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/v1/operations", new StringContent(body, Encoding.UTF8, "application/json"), Http.Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(Http.Ct))!["id"]!;
    }
}
