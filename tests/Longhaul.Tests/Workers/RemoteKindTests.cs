using System.Text.Json;
using Longhaul.AspNetCore.Workers;
using Longhaul.Server;
using Longhaul.Storage;

namespace Longhaul.Tests.Workers;

public sealed class RemoteKindTests
{
    private const string Schema = """
        {"type":"object","properties":{
          "rows":{"type":"integer","minimum":1},
          "items":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}},
         "required":["rows"],"additionalProperties":false}
        """;

    private static RemoteKindHandler Handler(string? schema = Schema)
    {
        var options = new RemoteKindOptions { MaxAttempts = 4, TimeoutSeconds = 60 };
        var file = Path.Combine(Path.GetTempPath(), $"schema-{Guid.NewGuid():N}.json");
        if (schema is not null)
        {
            File.WriteAllText(file, schema);
            options.InputSchemaFile = file;
        }
        try
        {
            var errors = new List<string>();
            var handler = RemoteKindLoader.Load("report", options, new LonghaulEngineOptions(), errors);
            Assert.Empty(errors);
            return handler;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void ValidateInput_Valid_ReturnsNull()
        => Assert.Null(Handler().ValidateInput(Json("""{"rows":3,"items":[{"name":"a"}]}""")));

    [Fact]
    public void ValidateInput_NestedErrors_NamesFieldsByTheApisPaths()
    {
        var errors = Handler().ValidateInput(Json("""{"rows":0,"items":[{"name":"a"},{"nome":"b"}]}"""));

        Assert.NotNull(errors);
        Assert.Contains("input.rows", errors.Keys);
        Assert.Equal(["is required"], errors["input.items[1].name"]);
    }

    [Fact]
    public void ValidateInput_MissingRequiredMember_IsRequiredOnTheMembersPath()
        => Assert.Equal(["is required"], Handler().ValidateInput(Json("{}"))!["input.rows"]);

    [Fact]
    public void ValidateInput_NoSchemaAndNotAnObject_MustBeAnObject()
    {
        Assert.Equal(["must be an object"], Handler(null).ValidateInput(Json("[1]"))!["input"]);
        Assert.Null(Handler(null).ValidateInput(Json("""{"anything":true}""")));
    }

    [Fact]
    public void Handler_IsRemoteWithItsDefaults_AndTheRegistryLeavesItOutOfLocalKinds()
    {
        var handler = Handler();
        var registry = new OperationHandlerRegistry([handler, new Longhaul.Kinds.SleepHandler(TimeProvider.System)]);

        Assert.True(((IOperationHandler)handler).IsRemote);
        Assert.Equal(4, handler.Defaults!.MaxAttempts);
        Assert.Equal(["report", "sleep"], registry.Kinds);
        Assert.Equal(["sleep"], registry.LocalKinds);
    }

    [Fact]
    public void Load_UnreadableSchemaFileAndBadDefaults_NameEachSetting()
    {
        var errors = new List<string>();
        RemoteKindLoader.Load("report", new RemoteKindOptions { InputSchemaFile = "/nonexistent/report.json", MaxAttempts = 0 }, new LonghaulEngineOptions(), errors);

        Assert.Contains(errors, e => e.StartsWith("Longhaul:RemoteKinds:report:InputSchemaFile", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Longhaul:RemoteKinds:report:MaxAttempts", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("client", "acme", false, null, null)]
    [InlineData("worker", null, true, "noop", null)]
    [InlineData("worker", "acme", true, null, "either")]
    [InlineData("client", null, true, null, "only for worker keys")]
    [InlineData("client", "acme", false, "noop", "only for worker keys")]
    [InlineData("worker", null, false, null, "required")]
    [InlineData("admin", "acme", false, null, "--scope")]
    [InlineData("worker", "acme", false, " , ", "--kinds")]
    public void KeyRequest_Options_AcceptedOrRefusedNamingTheOption(string scope, string? tenant, bool allTenants, string? kinds, string? error)
    {
        var request = KeyRequest.Parse(tenant, scope, allTenants, kinds);

        if (error is null) Assert.Null(request.Error);
        else Assert.Contains(error, request.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyRequest_WorkerForAllTenantsWithKinds_IsStoredAsAllTenantsWithTheKinds()
    {
        var request = KeyRequest.Parse(null, "worker", true, "report, import,report");

        Assert.Equal(ApiKeyRecord.AllTenants, request.Tenant);
        Assert.Equal(ApiKeyScope.Worker, request.Scope);
        Assert.Equal(["report", "import"], request.Kinds);
    }
}
