using System.Net;
using System.Text.Json;
using Longhaul.Storage;
using Longhaul.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>
/// Stored JSON is written back verbatim: an operation stored before the server refused lone surrogates (or written by
/// any other path) reads with 200 everywhere, instead of making its reads and every list page holding it answer 500.
/// </summary>
public sealed class StoredJsonReadTests
{
    [Fact]
    public async Task Read_StoredStringsWithLoneSurrogates_EveryReadAnswers200()
    {
        await using var host = await TestHost.StartAsync(tenants: "main");
        var store = host.Services.GetRequiredService<IOperationStore>();
        var id = OperationIds.New(TimeProvider.System);
        var metadata = JsonDocument.Parse("""{"a":"\ud800","\udc00":["x\udbff"]}""").RootElement.Clone();
        // An unregistered kind: no worker claims it, so it stays as stored.
        await store.StartAsync(new StartParams(new OperationToStart(id, "main", "legacy", JsonDocument.Parse("""{"s":"\ud800"}""").RootElement.Clone(),
            metadata, null, 0, 1, null), null), Ct);

        var read = await host.Client.GetJsonAsync($"/v1/operations/{id}");
        Assert.Equal(metadata.GetRawText(), read.GetProperty("metadata").GetRawText());
        await host.Client.GetJsonAsync($"/v1/operations/{id}/wait?timeout=0");
        var page = await host.Client.GetJsonAsync("/v1/operations");
        Assert.Contains(page.GetProperty("operations").EnumerateArray(), o => o.Id() == id);

        using var cancelled = await host.Client.PostAsync($"/v1/operations/{id}/cancel", null, Ct);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        using var events = await host.Client.GetAsync($"/v1/operations/{id}/events", Ct);
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.Contains("event: done", await events.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
