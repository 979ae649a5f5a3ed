using System.Globalization;
using System.Text;
using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>
/// <c>GET /v1/diagnostics/hold?seconds=N&amp;mode=silent|drip</c>: holds a request open N seconds so that
/// <c>longhaul probe</c> can measure how long the chain in front of Longhaul lets a response take. Silent sends
/// nothing until the end; drip sends the headers at once and a space every <c>interval</c> seconds (default 2).
/// Either way a complete answer ends with the line <c>held N</c>.
/// </summary>
internal static class DiagnosticsEndpoint
{
    public static async Task HoldAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var api = services.GetRequiredService<IOptions<LonghaulApiOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var query = context.Request.Query;
        var cap = api.DiagnosticsHoldMax.TotalSeconds;
        if (!TryReadSeconds(query, "seconds", out var seconds) || seconds is null || seconds <= 0 || seconds > cap)
        {
            await ProblemResults.BadParameterAsync(context, "seconds", $"must be a number of seconds above 0 and at most {cap.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
            return;
        }
        var mode = query["mode"].ToString();
        if (mode.Length == 0) mode = "silent";
        if (mode is not ("silent" or "drip"))
        {
            await ProblemResults.BadParameterAsync(context, "mode", "must be silent or drip").ConfigureAwait(false);
            return;
        }
        if (!TryReadSeconds(query, "interval", out var interval) || interval is <= 0 or > 60)
        {
            await ProblemResults.BadParameterAsync(context, "interval", "must be a number of seconds above 0 and at most 60").ConfigureAwait(false);
            return;
        }
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var token = linked.Token;
        var hold = TimeSpan.FromSeconds(seconds.Value);
        var done = Encoding.ASCII.GetBytes($"held {seconds.Value.ToString(CultureInfo.InvariantCulture)}\n");
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            if (mode == "silent")
            {
                await Task.Delay(hold, time, token).ConfigureAwait(false);
                context.Response.ContentLength = done.Length;
                await context.Response.Body.WriteAsync(done, token).ConfigureAwait(false);
                return;
            }
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await context.Response.StartAsync(token).ConfigureAwait(false);
            var until = time.GetUtcNow() + hold;
            var step = TimeSpan.FromSeconds(interval ?? 2);
            byte[] space = [(byte)' '];
            while (true)
            {
                var left = until - time.GetUtcNow();
                if (left <= TimeSpan.Zero) break;
                await Task.Delay(left < step ? left : step, time, token).ConfigureAwait(false);
                if (until - time.GetUtcNow() > TimeSpan.Zero)
                {
                    await context.Response.Body.WriteAsync(space, token).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(token).ConfigureAwait(false);
                }
            }
            await context.Response.Body.WriteAsync(done, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested && stopping.IsCancellationRequested)
        {
            if (!context.Response.HasStarted)
                await ProblemResults.WriteAsync(context, ProblemCodes.ShuttingDown, "The server is stopping.").ConfigureAwait(false);
            else context.Abort();
        }
    }

    private static bool TryReadSeconds(IQueryCollection query, string name, out double? seconds)
    {
        seconds = null;
        if (!query.TryGetValue(name, out var raw)) return true;
        if (raw.Count != 1 || !double.TryParse(raw[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || double.IsNaN(value) || double.IsInfinity(value)) return false;
        seconds = value;
        return true;
    }
}
