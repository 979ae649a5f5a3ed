using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.TypedKinds;
using Microsoft.Extensions.DependencyInjection;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>A kind written as <see cref="OperationHandler{TInput, TResult}"/>: schema, validation and execution from its input type.</summary>
public sealed class TypedKindTests
{
    private static Task<TestHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
        => TestHost.StartWithServicesAsync(s => s.AddOperationHandler<PackHandler>(), settings);

    private static object GoodInput(int quantity = 3) => new
    {
        customer = "Ada",
        code = "ABC-1234",
        quantity,
        address = new { street = "Main 1", zip = "12345" },
        tags = new[] { "fragile" },
    };

    [Fact]
    public async Task Kinds_TypedKind_ShowsSchemaGeneratedFromInputType()
    {
        await using var host = await StartAsync();

        var body = await host.Client.GetJsonAsync("/v1/kinds");

        var pack = Assert.Single(body.GetProperty("kinds").EnumerateArray(), k => k.GetProperty("name").GetString() == PackHandler.Name);
        Assert.Equal("Packs an order (test kind).", pack.GetProperty("description").GetString());
        var schema = pack.GetProperty("input_schema");
        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.Equal("An order to pack.", schema.GetProperty("description").GetString());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["address", "code", "customer"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order(StringComparer.Ordinal));
        var p = schema.GetProperty("properties");
        Assert.Equal("string", p.GetProperty("customer").GetProperty("type").GetString());
        Assert.Equal("Who the order is for.", p.GetProperty("customer").GetProperty("description").GetString());
        Assert.Equal(2, p.GetProperty("customer").GetProperty("minLength").GetInt32());
        Assert.Equal(20, p.GetProperty("customer").GetProperty("maxLength").GetInt32());
        Assert.Equal("^[A-Z]{3}-[0-9]{4}$", p.GetProperty("code").GetProperty("pattern").GetString());
        Assert.Equal("integer", p.GetProperty("quantity").GetProperty("type").GetString());
        Assert.Equal(1, p.GetProperty("quantity").GetProperty("minimum").GetInt32());
        Assert.Equal(50, p.GetProperty("quantity").GetProperty("maximum").GetInt32());
        Assert.Equal("boolean", p.GetProperty("gift").GetProperty("type").GetString());
        Assert.Equal(3, p.GetProperty("tags").GetProperty("maxItems").GetInt32());
        Assert.Contains("null", p.GetProperty("note").GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        var address = p.GetProperty("address");
        Assert.Equal("Where to send it.", address.GetProperty("description").GetString());
        Assert.Equal(["street", "zip"], address.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("^[0-9]{5}$", address.GetProperty("properties").GetProperty("zip").GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task Start_TypedKindWithEveryKindOfBadField_AnswersEachJsonPathAtOnce()
    {
        await using var host = await StartAsync();

        using var response = await host.Client.PostAsync("/v1/operations", Json("""
            {"kind":"pack","input":{
              "code":"abc-12",
              "quantity":99,
              "gift":"yes",
              "colour":"red",
              "tags":["a","b","c","d"],
              "address":{"street":"Main 1","zip":"12345","country":"XX"}
            }}
            """), Ct);

        var problem = await AssertProblemAsync(response, 422, "validation_failed");
        var errors = problem.GetProperty("errors");
        Assert.Equal(
            ["input.address.country", "input.code", "input.colour", "input.customer", "input.gift", "input.quantity", "input.tags"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("is not a known field", Message(errors, "input.colour"));
        Assert.Equal("is required", Message(errors, "input.customer"));
        Assert.Equal("must be a boolean", Message(errors, "input.gift"));
        Assert.Contains("between 1 and 50", Message(errors, "input.quantity"));
        Assert.Contains("^[A-Z]{3}-[0-9]{4}$", Message(errors, "input.code"));
        Assert.Equal("XX is not a country we ship to", Message(errors, "input.address.country"));
        Assert.Empty(await host.Client.ListAllAsync("kind=pack"));
    }

    [Theory]
    [InlineData("""{"customer":"Ada","code":"ABC-1234","address":{"zip":"12345"}}""", "input.address.street", "is required")]
    [InlineData("""{"customer":"Ada","code":"ABC-1234","address":{"street":"x","zip":"1234"}}""", "input.address.zip", null)]
    [InlineData("""{"customer":"Ada","code":"ABC-1234","address":{"street":"x","zip":"12345","floor":3}}""", "input.address.floor", "is not a known field")]
    [InlineData("""{"customer":"Ada","code":"ABC-1234","address":"Main 1"}""", "input.address", "must be an object")]
    [InlineData("""{"customer":null,"code":"ABC-1234","address":{"street":"x","zip":"12345"}}""", "input.customer", "must not be null")]
    [InlineData("""{"customer":"Ada","code":"ABC-1234","quantity":2.5,"address":{"street":"x","zip":"12345"}}""", "input.quantity", "must be an integer")]
    [InlineData("""{"customer":"Ada","code":"ABC-1234","tags":["a",7],"address":{"street":"x","zip":"12345"}}""", "input.tags[1]", "must be a string")]
    [InlineData("""{"Customer":"Ada","code":"ABC-1234","address":{"street":"x","zip":"12345"}}""", "input.Customer", "is not a known field")]
    [InlineData("[1]", "input", "must be an object")]
    public async Task Start_TypedKindBadField_AnswersItsJsonPath(string input, string field, string? message)
    {
        await using var host = await StartAsync();

        using var response = await host.Client.PostAsync("/v1/operations", Json($$"""{"kind":"pack","input":{{input}}}"""), Ct);

        var problem = await AssertProblemAsync(response, 422, "validation_failed", field);
        if (message is not null) Assert.Equal(message, Message(problem.GetProperty("errors"), field));
    }

    [Fact]
    public async Task Start_TypedKindGoodInput_RunsWithTypedInputAndStoresTypedResult()
    {
        await using var host = await StartAsync();

        var started = await host.Client.StartOperationOkAsync(PackHandler.Name, GoodInput(quantity: 4));
        var done = await host.Client.WaitDoneAsync(started.Id());

        Assert.Equal("succeeded", done.Status());
        var result = done.GetProperty("result");
        Assert.Equal("ABC-1234 for Ada", result.GetProperty("label").GetString());
        Assert.Equal(4, result.GetProperty("items").GetInt32());
        Assert.Equal("Main 1", result.GetProperty("city").GetString());
        Assert.Equal(4, done.GetProperty("progress").GetProperty("current").GetInt64());
    }

    [Fact]
    public async Task Sleep_Schema_IsGeneratedWithTheSameRulesAsBefore()
    {
        await using var host = await StartAsync();

        var body = await host.Client.GetJsonAsync("/v1/kinds");

        var schema = Assert.Single(body.GetProperty("kinds").EnumerateArray(), k => k.GetProperty("name").GetString() == "sleep").GetProperty("input_schema");
        var p = schema.GetProperty("properties");
        Assert.Equal(["fail_attempts", "output", "seconds", "steps"], p.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal((0, 86400), (p.GetProperty("seconds").GetProperty("minimum").GetInt32(), p.GetProperty("seconds").GetProperty("maximum").GetInt32()));
        Assert.Equal((1, 10000), (p.GetProperty("steps").GetProperty("minimum").GetInt32(), p.GetProperty("steps").GetProperty("maximum").GetInt32()));
        Assert.Equal((0, 100), (p.GetProperty("fail_attempts").GetProperty("minimum").GetInt32(), p.GetProperty("fail_attempts").GetProperty("maximum").GetInt32()));
        Assert.Equal("Total time to sleep.", p.GetProperty("seconds").GetProperty("description").GetString());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
    }

    private static string Message(JsonElement errors, string field) => errors.GetProperty(field)[0].GetString()!;
}
