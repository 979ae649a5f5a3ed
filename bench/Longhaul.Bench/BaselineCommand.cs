using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Longhaul.Bench;

/// <summary>
/// The create-throughput baseline: a bare ASP.NET Core minimal API endpoint with the same wire shape as
/// `POST /v1/operations` (202, Location, Retry-After, JSON operation resource) that stores nothing.
/// It reads the request body and writes a pre-serialized pending resource; only the id is patched in
/// per request so that Location and body agree. The ratio server/baseline isolates the cost of
/// validation, persistence and dispatch from the cost of the HTTP stack itself.
/// </summary>
internal static class BaselineCommand
{
    private const string IdPlaceholder = "op_00000000000000000000000000"; // op_ + 26 chars, like a ULID
    private const string Crockford = "0123456789abcdefghjkmnpqrstvwxyz";

    private static long _counter;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!args.Contains("--urls") && !args.Any(a => a.StartsWith("--urls=", StringComparison.Ordinal)))
        {
            throw new ArgumentException("baseline needs --urls http://127.0.0.1:PORT");
        }

        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();

        var template = BuildTemplate(out var idOffset);
        var prefix = RandomPrefix();

        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapPost("/v1/operations", (HttpContext ctx) => CreateAsync(ctx, template, idOffset, prefix));

        await app.StartAsync();
        Console.WriteLine($"baseline: listening on {string.Join(", ", app.Urls)} (POST /v1/operations, GET /healthz)");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task CreateAsync(HttpContext ctx, byte[] template, int idOffset, string prefix)
    {
        // Read (and discard) the whole request body, as a real handler must before answering.
        var reader = ctx.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(ctx.RequestAborted);
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        var id = NextId(prefix);
        var response = ctx.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        response.Headers.Location = "/v1/operations/" + id;
        response.Headers.RetryAfter = "1";
        response.ContentType = "application/json";
        response.ContentLength = template.Length;

        var span = response.BodyWriter.GetSpan(template.Length);
        template.CopyTo(span);
        Encoding.ASCII.GetBytes(id, span.Slice(idOffset, IdPlaceholder.Length));
        response.BodyWriter.Advance(template.Length);
        await response.BodyWriter.FlushAsync(ctx.RequestAborted);
    }

    private static byte[] BuildTemplate(out int idOffset)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", IdPlaceholder);
            w.WriteString("kind", "sleep");
            w.WriteString("status", "pending");
            w.WriteBoolean("done", false);
            w.WriteString("created_at", now);
            w.WriteString("updated_at", now);
            w.WriteNull("started_at");
            w.WriteNull("finished_at");
            w.WriteNull("progress");
            w.WriteNull("estimated_completion");
            w.WriteNumber("attempt", 0);
            w.WriteNumber("max_attempts", 3);
            w.WriteBoolean("cancel_requested", false);
            w.WriteNull("metadata");
            w.WriteNull("result");
            w.WriteNull("error");
            w.WriteEndObject();
        }

        var bytes = buffer.WrittenSpan.ToArray();
        idOffset = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(IdPlaceholder));
        return bytes;
    }

    private static string RandomPrefix()
    {
        Span<char> chars = stackalloc char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Crockford[Random.Shared.Next(Crockford.Length)];
        }

        return new string(chars);
    }

    private static string NextId(string prefix)
    {
        var n = (ulong)Interlocked.Increment(ref _counter);
        return string.Create(IdPlaceholder.Length, (prefix, n), static (span, state) =>
        {
            "op_".AsSpan().CopyTo(span);
            state.prefix.AsSpan().CopyTo(span[3..]);
            var v = state.n;
            for (var i = span.Length - 1; i >= 3 + state.prefix.Length; i--)
            {
                span[i] = Crockford[(int)(v & 31)];
                v >>= 5;
            }
        });
    }
}
