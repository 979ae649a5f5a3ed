using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Longhaul.Server;

/// <summary>
/// Searches for the longest <c>/v1/diagnostics/hold</c> that survives the chain between this client and Longhaul:
/// the maximum first (one attempt settles a generous chain), then doubling from 1 s, then bisecting between the
/// longest hold that survived and the shortest that was cut.
/// </summary>
internal sealed class HoldProbe(HttpClient client, Uri baseUri, TextWriter log)
{
    public sealed record Budget(string Mode, double Survived, double? CutAt, double? CutAfter);

    public sealed class ProbeAbortedException(string message) : Exception(message);

    public async Task<Budget> SearchAsync(string mode, double max, CancellationToken cancellationToken)
    {
        var (ok, after) = await HoldAsync(mode, max, cancellationToken).ConfigureAwait(false);
        if (ok) return new Budget(mode, max, null, null);
        double lo = 0, hi = max;
        var cutAfter = after;
        for (var t = 1.0; t < max; t *= 2)
        {
            (ok, after) = await HoldAsync(mode, t, cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                hi = t;
                cutAfter = after;
                break;
            }
            lo = t;
        }
        while (hi - lo > Math.Max(0.5, lo * 0.1))
        {
            var mid = Math.Round((lo + hi) / 2, 1);
            (ok, after) = await HoldAsync(mode, mid, cancellationToken).ConfigureAwait(false);
            if (ok) lo = mid;
            else
            {
                hi = mid;
                cutAfter = after;
            }
        }
        return new Budget(mode, lo, hi, cutAfter);
    }

    /// <summary>One hold: whether the complete answer arrived, and after how many seconds it ended.</summary>
    private async Task<(bool Ok, double After)> HoldAsync(string mode, double seconds, CancellationToken cancellationToken)
    {
        var s = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        var uri = new Uri(baseUri, $"v1/diagnostics/hold?seconds={s}&mode={mode}");
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds + 30));
        bool ok;
        string outcome;
        try
        {
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new ProbeAbortedException("the server answered 401: pass --api-key");
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            ok = response.IsSuccessStatusCode && body.EndsWith($"held {s}\n", StringComparison.Ordinal);
            outcome = ok ? "held" : $"cut ({(int)response.StatusCode})";
            if (response.StatusCode == HttpStatusCode.BadRequest && body.Contains("\"seconds\"", StringComparison.Ordinal))
                throw new ProbeAbortedException($"the server refuses a hold of {s} s (Longhaul:Http:DiagnosticsHoldMax): lower --max");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            ok = false;
            outcome = $"cut ({ex.GetType().Name})";
        }
        var after = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await log.WriteLineAsync($"  {mode,-6} {s,6} s: {outcome} after {after:0.0} s").ConfigureAwait(false);
        return (ok, after);
    }

    public static HttpClient CreateClient(string? apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = Timeout.InfiniteTimeSpan };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}
