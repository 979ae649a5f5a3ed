using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>Writes upstream-style Server-Sent Events from a fake upstream, flushing each one.</summary>
public static class Sse
{
    public static void Start(HttpResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
    }

    public static async Task WriteAsync(HttpResponse response, string? type, object data)
    {
        var json = data as string ?? JsonSerializer.Serialize(data);
        var text = (type is null ? "" : $"event: {type}\n") + $"data: {json}\n\n";
        await response.WriteAsync(text, TestContext.Current.CancellationToken);
        await response.Body.FlushAsync(TestContext.Current.CancellationToken);
    }

    public static Task AnthropicStartAsync(HttpResponse response)
        => WriteAsync(response, "message_start", new
        {
            type = "message_start",
            message = new { id = "msg_1", type = "message", role = "assistant", model = "claude-test", content = Array.Empty<object>(), usage = new { input_tokens = 25, output_tokens = 1 } },
        });

    public static Task AnthropicTokenAsync(HttpResponse response, string token)
        => WriteAsync(response, "content_block_delta", new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text = token } });

    public static async Task AnthropicEndAsync(HttpResponse response, int outputTokens)
    {
        await WriteAsync(response, "content_block_stop", new { type = "content_block_stop", index = 0 });
        await WriteAsync(response, "message_delta", new { type = "message_delta", delta = new { stop_reason = "end_turn" }, usage = new { output_tokens = outputTokens } });
        await WriteAsync(response, "message_stop", new { type = "message_stop" });
    }
}
