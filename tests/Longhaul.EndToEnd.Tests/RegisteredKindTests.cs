using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>Remote kinds registered at run time by a worker key (<c>PUT /v1/kinds/{name}</c>): scope, clashes, bad input, validation.</summary>
public sealed class RegisteredKindTests : RemoteWorkerTest
{
    private const string ResizeBody = """
        {"description":"Resizes an image","input_schema":{"type":"object","required":["width"],"properties":{"width":{"type":"integer","minimum":1}},"additionalProperties":false},
         "max_attempts":7,"timeout_seconds":60}
        """;

    [Fact]
    public async Task Put_TenantWorkerKey_KindExistsForThatTenantOnly_ValidatedDefaultedAndClaimable()
    {
        var globexClient = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--tenant", "globex");
        await StartAsync();

        var (created, createdBody) = await Api.PutAsync("/v1/kinds/resize", WorkerKey, ResizeBody);
        var (again, againBody) = await Api.PutAsync("/v1/kinds/resize", WorkerKey, ResizeBody);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(("resize", "acme", 7), (createdBody!["name"]!.GetValue<string>(), createdBody["tenant"]!.GetValue<string>(), createdBody["max_attempts"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(createdBody["created_at"]!.ToJsonString(), againBody!["created_at"]!.ToJsonString());
        var listed = (await Api.GetAsync(ClientKey, "/v1/kinds"))["kinds"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "resize")!;
        Assert.Equal("Resizes an image", listed["description"]!.GetValue<string>());
        Assert.Equal("integer", listed["input_schema"]!["properties"]!["width"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain((await Api.GetAsync(globexClient, "/v1/kinds"))["kinds"]!.AsArray(), k => k!["name"]!.GetValue<string>() == "resize");

        var (invalid, invalidBody) = await Api.PostAsync("/v1/operations", ClientKey, """{"kind":"resize","input":{"width":0,"height":2}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid);
        Assert.Contains("input.width", invalidBody!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("input.height", invalidBody["errors"]!.AsObject().Select(e => e.Key));
        var (theirs, theirsBody) = await Api.PostAsync("/v1/operations", globexClient, """{"kind":"resize","input":{"width":5}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, theirs);
        Assert.Contains("kind", theirsBody!["errors"]!.AsObject().Select(e => e.Key));

        var id = await Api.StartAsync(ClientKey, "resize", new JsonObject { ["width"] = 5 });
        var request = await Api.GetAsync(ClientKey, $"/v1/operations/{id}/request");
        Assert.Equal(7, request["options"]!["max_attempts"]!.GetValue<int>());
        Assert.Equal(60, request["options"]!["timeout_seconds"]!.GetValue<double>());
        var (claimed, claimBody) = await Api.PostAsync("/v1/workers/claim", WorkerKey, """{"worker":"w","kinds":["resize"],"max":5}""");
        Assert.Equal(HttpStatusCode.OK, claimed);
        Assert.Equal([id], claimBody!["operations"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Put_NameClashes_409KindExistsAndNothingChanged()
    {
        var allTenants = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--scope", "worker", "--all-tenants");
        await StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await Api.PutAsync("/v1/kinds/resize", WorkerKey, "{}")).Status);
        Assert.Equal(HttpStatusCode.Created, (await Api.PutAsync("/v1/kinds/platform", allTenants, "{}")).Status);
        var before = (await Api.GetAsync(ClientKey, "/v1/kinds")).ToJsonString();

        var configured = await Api.PutAsync("/v1/kinds/report", WorkerKey, """{"description":"mine"}""");
        var builtIn = await Api.PutAsync("/v1/kinds/sleep", allTenants, "{}");
        var tenantOverGlobal = await Api.PutAsync("/v1/kinds/platform", WorkerKey, "{}");
        var globalOverTenant = await Api.PutAsync("/v1/kinds/resize", allTenants, "{}");

        foreach (var (status, body) in new[] { configured, builtIn, tenantOverGlobal, globalOverTenant })
        {
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Equal("kind_exists", body!["code"]!.GetValue<string>());
        }
        Assert.Equal(before, (await Api.GetAsync(ClientKey, "/v1/kinds")).ToJsonString());
    }

    [Fact]
    public async Task Put_BadInput_4xxNamingTheFieldAndNothingStored()
    {
        var limited = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--scope", "worker", "--tenant", "acme", "--kinds", "noop");
        await StartAsync();
        var before = (await Api.GetAsync(ClientKey, "/v1/kinds")).ToJsonString();

        var cases = new (string Path, string? Key, string Body, HttpStatusCode Status, string Field)[]
        {
            ("/v1/kinds/x", WorkerKey, """{"input_schema":{"type":5}}""", HttpStatusCode.UnprocessableEntity, "input_schema"),
            ("/v1/kinds/x", WorkerKey, """{"input_schema":"object"}""", HttpStatusCode.UnprocessableEntity, "input_schema"),
            ("/v1/kinds/x", WorkerKey, """{"input_schema":{"$ref":"https://example.com/none.json"}}""", HttpStatusCode.UnprocessableEntity, "input_schema"),
            ("/v1/kinds/x", WorkerKey, """{"max_attempts":0}""", HttpStatusCode.UnprocessableEntity, "max_attempts"),
            ("/v1/kinds/x", WorkerKey, """{"timeout_seconds":-1}""", HttpStatusCode.UnprocessableEntity, "timeout_seconds"),
            ("/v1/kinds/x", WorkerKey, """{"description":7}""", HttpStatusCode.UnprocessableEntity, "description"),
            ("/v1/kinds/x", WorkerKey, """{"colour":"red"}""", HttpStatusCode.UnprocessableEntity, "colour"),
            ("/v1/kinds/a%20b", WorkerKey, "{}", HttpStatusCode.UnprocessableEntity, "name"),
            ("/v1/kinds/a,b", WorkerKey, "{}", HttpStatusCode.UnprocessableEntity, "name"),
            ("/v1/kinds/x", WorkerKey, "[1]", HttpStatusCode.UnprocessableEntity, ""),
            ("/v1/kinds/x", ClientKey, "{}", HttpStatusCode.Forbidden, "wrong_key_scope"),
            ("/v1/kinds/x", limited, "{}", HttpStatusCode.Forbidden, "wrong_key_scope"),
        };
        foreach (var (path, key, json, expected, field) in cases)
        {
            var (status, body) = await Api.PutAsync(path, key, json);
            Assert.True(status == expected, $"{path} {json}: {(int)status} {body?.ToJsonString()}");
            if (expected == HttpStatusCode.Forbidden) Assert.Equal(field, body!["code"]!.GetValue<string>());
            else Assert.Contains(field, body!["errors"]!.AsObject().Select(e => e.Key));
        }
        Assert.Equal(before, (await Api.GetAsync(ClientKey, "/v1/kinds")).ToJsonString());
    }
}
