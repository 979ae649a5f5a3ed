using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    /// <summary>
    /// JSON that is valid but unusual, as the API accepts it (escaped NUL and control characters, a surrogate pair
    /// written as escapes, U+2028, huge and very precise numbers, deep nesting, member names with dots and quotes),
    /// plus what only an older server or another path could have stored: lone surrogate escapes.
    /// </summary>
    public static TheoryData<string> HostileJsonValues => new(
        """{"nul":"a\u0000b","ctl":"\u001f\b\f","pair":"\ud83d\ude00","ls":"\u2028","raw":"Zürich 日本 😀"}""",
        """{"big":1e999999,"small":1e-400,"long":123456789012345678901234567890,"neg":-0,"exact":9007199254740993}""",
        """{"a.b":{"\"q\"":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]},"":"empty name"}""",
        """{"lone":"\ud800","low":"x\udc00y","\udbff":["\ude00\ud83d"]}""");

    [Theory]
    [MemberData(nameof(HostileJsonValues))]
    public async Task Store_HostileJson_KeepsEveryValueVerbatimThroughCreateOutputAndResult(string json)
    {
        var op = await StartOperationAsync(NewOp(input: json, metadata: json));
        var running = await ClaimOneAsync(op.Id);
        Assert.True(await Store.AppendOutputAsync(new OutputParams(LeaseOf(running), Json(json)), Ct));
        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, Json(json), null), Ct));

        var stored = await GetAsync(op.Id);
        // Compared as text: DeepEquals unescapes strings and throws on a lone surrogate.
        Assert.Equal(json, stored.Input.GetRawText());
        Assert.Equal(json, stored.Metadata!.Value.GetRawText());
        Assert.Equal(json, stored.Result!.Value.GetRawText());
        // What the API writes back from the store is the stored text, escapes and all: it never fails on content.
        var resource = JsonSerializer.Serialize(stored.ToResource(), LonghaulJson.Default.OperationResource);
        Assert.Equal(json, JsonDocument.Parse(resource).RootElement.GetProperty("metadata").GetRawText());
        var listed = await Store.ListAsync(new ListParams(Tenant, null, null, 10, null), Ct);
        Assert.Contains(listed.Operations, o => o.Id == op.Id);
        var events = await EventsAsync(op.Id);
        AssertGapFree(events);
    }
}
