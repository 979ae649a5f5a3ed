using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Longhaul.AspNetCore;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Testing;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Tests.OpenApi;

/// <summary>
/// The OpenAPI document of the real server: every mapped endpoint is in it with its answers and problem codes, it is
/// served without a key, it parses, an independent linter finds no error, and kinds appear as they are registered.
/// </summary>
public sealed class OpenApiDocumentTests
{
    /// <summary>
    /// Endpoints deliberately not in the document: the dashboard's page and assets (HTML, not API), the document itself
    /// and the API reference page (Scalar maps its page and its assets).
    /// </summary>
    private static readonly string[] NotDescribed =
    [
        "GET /openapi/{documentName}.json",
        "GET /scalar/favicon.svg", "GET /scalar/scalar.aspnetcore.js", "GET /scalar/scalar.js", "GET /scalar/{documentName}",
        "GET /ui/{file}", "HEAD /ui/{file}",
    ];

    /// <summary>Codes whose status varies (docs/http-api.md, Problem codes): they may answer under another status than their table's.</summary>
    private static readonly string[] VaryingStatus = [ProblemCodes.HttpError, ProblemCodes.BadRequest, ProblemCodes.Cancelled, ProblemCodes.UpstreamError, ProblemCodes.UpstreamTimeout, ProblemCodes.DeadlineExceeded];

    [Fact]
    public async Task Every_mapped_endpoint_is_in_the_document_with_its_answers_and_codes()
    {
        await using var host = await TestHost.StartAsync(tenants: ["acme"]);
        var document = await FetchAsync(host);
        var paths = document["paths"]!.AsObject();
        var checkedOperations = 0;
        var missing = new List<string>();
        foreach (var endpoint in host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = OpenApiPath(endpoint.RoutePattern.RawText!);
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET"];
            foreach (var method in methods)
            {
                var operation = paths[path]?[method.ToLowerInvariant()];
                if (operation is null)
                {
                    missing.Add($"{method} {path}");
                    continue;
                }
                var responses = operation!["responses"]!.AsObject();
                Assert.Contains(responses, r => r.Key.StartsWith('2'));
                Assert.False(string.IsNullOrEmpty((string?)operation["operationId"]), $"{method} {path} has no operationId");
                foreach (var (status, response) in responses)
                {
                    if (!status.StartsWith('4') && !status.StartsWith('5')) continue;
                    var codes = response!["x-problem-codes"]?.AsArray().Select(c => (string)c!).ToList() ?? [];
                    if (method != "HEAD") Assert.True(codes.Count > 0, $"{method} {path} {status} lists no problem code");
                    foreach (var code in codes)
                    {
                        Assert.True(ProblemCatalog.TryGet(code, out var definition), $"{method} {path} {status}: unknown code {code}");
                        Assert.True(definition!.Status.ToString() == status || VaryingStatus.Contains(code), $"{method} {path} {status}: {code} is a {definition.Status}");
                    }
                }
                checkedOperations++;
            }
        }
        // Exactly the listed exceptions are left out: an endpoint added later without an ApiDoc fails here.
        var notInDocument = string.Join("\n", missing.Distinct().Order(StringComparer.Ordinal));
        Assert.True(string.Join("\n", NotDescribed.Order(StringComparer.Ordinal)) == notInDocument, "Mapped but not in /openapi/v1.json:\n" + notInDocument);
        Assert.True(checkedOperations >= 50, $"only {checkedOperations} operations checked");
        // Headers of the contract.
        var text = document.ToJsonString();
        foreach (var header in new[] { "Location", "Retry-After", "Idempotency-Key", "Prefer", "Last-Event-ID", "Tus-Resumable", "Upload-Offset", "Range" })
        {
            Assert.Contains($"\"{header}\"", text);
        }
        var events = document["paths"]!["/v1/operations/{id}/events"]!["get"]!["responses"]!["200"]!["content"]!["text/event-stream"]!["x-sse-events"]!.AsObject();
        Assert.Equal(["snapshot", "status", "progress", "output", "warning", "done"], events.Select(e => e.Key));
        // Every status of the operation resource, from the serializer's enum.
        Assert.Equal(["pending", "running", "succeeded", "failed", "cancelled"], document["components"]!["schemas"]!["OperationResource"]!["properties"]!["status"]!["enum"]!.AsArray().Select(s => (string)s!));
    }

    [Fact]
    public async Task The_document_parses_without_errors()
    {
        await using var host = await TestHost.StartAsync(tenants: ["acme"]);
        using var anonymous = host.CreateClient();
        var text = await anonymous.GetStringAsync("/openapi/v1.json", Http.Ct);
        var read = Microsoft.OpenApi.OpenApiDocument.Parse(text, "json");
        Assert.NotNull(read.Document);
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.StartsWith("3.1", (string)JsonNode.Parse(text)!["openapi"]!);
    }

    [Fact]
    public async Task Kinds_registered_for_every_tenant_appear_on_the_next_fetch_and_a_tenants_own_never()
    {
        await using var host = await TestHost.StartAsync(tenants: ["acme"]);
        var store = host.Services.GetRequiredService<IOperationStore>();
        var everyKey = ApiKeys.NewKey();
        var tenantKey = ApiKeys.NewKey();
        await store.CreateApiKeyAsync(new CreateApiKeyParams(ApiKeys.NewId(), ApiKeyRecord.AllTenants, ApiKeys.Hash(everyKey), DateTimeOffset.UtcNow, ApiKeyScope.Worker), Http.Ct);
        await store.CreateApiKeyAsync(new CreateApiKeyParams(ApiKeys.NewId(), "acme", ApiKeys.Hash(tenantKey), DateTimeOffset.UtcNow, ApiKeyScope.Worker), Http.Ct);
        var before = await FetchAsync(host);
        Assert.Null(before["components"]!["schemas"]!["Kind.resize.Input"]);

        using var every = host.CreateClient(everyKey);
        var schema = """{"description":"Resizes images.","input_schema":{"type":"object","required":["width"],"properties":{"width":{"type":"integer","minimum":1},"tags":{"type":"array","items":true}}}}""";
        var put = await every.PutAsync("/v1/kinds/resize", new StringContent(schema, System.Text.Encoding.UTF8, "application/json"), Http.Ct);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var tenant = host.CreateClient(tenantKey);
        put = await tenant.PutAsync("/v1/kinds/acme-secret-kind", new StringContent("""{"description":"acme's own"}""", System.Text.Encoding.UTF8, "application/json"), Http.Ct);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        var after = await FetchAsync(host);
        var resize = after["components"]!["schemas"]!["Kind.resize.Input"]!;
        Assert.Equal("integer", (string)resize["properties"]!["width"]!["type"]!);
        Assert.Contains("resize", after["x-kinds"]!.AsArray().Select(k => (string)k!));
        var text = after.ToJsonString();
        Assert.DoesNotContain("acme-secret-kind", text);
        Assert.DoesNotContain("acme's own", text);
        Assert.DoesNotContain("\"acme\"", text);
    }

    [Fact]
    public async Task Redocly_lints_the_document_with_no_error()
    {
        await using var host = await TestHost.StartAsync(tenants: ["acme"]);
        using var anonymous = host.CreateClient();
        var file = Path.Combine(Path.GetTempPath(), $"longhaul-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await anonymous.GetStringAsync("/openapi/v1.json", Http.Ct), Http.Ct);
        try
        {
            var cli = await NodeModules.EnsureAsync("@redocly/cli/bin/cli.js", Http.Ct);
            var root = NodeModules.RepositoryRoot();
            var lint = NodeModules.Node([cli, "lint", file, "--config", Path.Combine(root, "redocly.yaml"), "--format", "stylish"], root);
            lint.Environment["REDOCLY_TELEMETRY"] = "off";
            lint.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            var (exit, output) = await ChildProcess.RunAsync(lint, TimeSpan.FromMinutes(3), Http.Ct);
            Assert.True(exit == 0, "redocly lint failed:\n" + output);
            Assert.DoesNotContain(" error ", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The document, fetched without an API key from a server that has keys.</summary>
    internal static async Task<JsonNode> FetchAsync(TestHost host)
    {
        using var anonymous = host.CreateClient();
        using var response = await anonymous.GetAsync("/openapi/v1.json", Http.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>(Http.Ct))!;
    }

    /// <summary>A route template as an OpenAPI path: <c>{**path}</c> → <c>{path}</c>, <c>{file?}</c> → <c>{file}</c>.</summary>
    private static string OpenApiPath(string route)
    {
        var path = route.Replace("{**", "{", StringComparison.Ordinal).Replace("{*", "{", StringComparison.Ordinal).Replace("?}", "}", StringComparison.Ordinal);
        return path.StartsWith('/') ? path : "/" + path;
    }
}
