using System.CommandLine;
using System.Globalization;

namespace Longhaul.Server;

/// <summary><c>longhaul probe URL</c>: measures the synchronous budget of the chain between this client and Longhaul.</summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "Longhaul's base URL as clients reach it (through the load balancer, proxy, …)." };
        var apiKey = new Option<string?>("--api-key") { Description = "An API key (or set LONGHAUL_API_KEY)." };
        var max = new Option<double>("--max") { Description = "The longest hold to try, in seconds (default 120).", DefaultValueFactory = _ => 120 };
        var command = new Command("probe", "Measure how long a silent and a dripping response survive the chain in front of Longhaul, and print the settings that implies.")
        {
            url, apiKey, max,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync("longhaul probe: URL must be an absolute http or https URL.").ConfigureAwait(false);
                return 2;
            }
            var maxSeconds = result.GetValue(max);
            if (maxSeconds is < 1 or > 3600)
            {
                await Console.Error.WriteLineAsync("longhaul probe: --max must be between 1 and 3600 seconds.").ConfigureAwait(false);
                return 2;
            }
            if (!baseUri.AbsolutePath.EndsWith('/')) baseUri = new Uri(baseUri + "/");
            var key = result.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("LONGHAUL_API_KEY");
            using var client = HoldProbe.CreateClient(key);
            var probe = new HoldProbe(client, baseUri, Console.Error);
            HoldProbe.Budget silent, drip;
            try
            {
                await Console.Error.WriteLineAsync($"Probing {baseUri} (holds up to {maxSeconds} s):").ConfigureAwait(false);
                silent = await probe.SearchAsync("silent", maxSeconds, cancellationToken).ConfigureAwait(false);
                drip = await probe.SearchAsync("drip", maxSeconds, cancellationToken).ConfigureAwait(false);
            }
            catch (HoldProbe.ProbeAbortedException ex)
            {
                await Console.Error.WriteLineAsync($"longhaul probe: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
            Console.WriteLine(Describe(silent, maxSeconds));
            Console.WriteLine(Describe(drip, maxSeconds));
            foreach (var line in Advice(silent, drip, maxSeconds)) Console.WriteLine(line);
            return 0;
        });
        return command;
    }

    private static string F(double seconds) => seconds.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Describe(HoldProbe.Budget budget, double max) => budget.CutAt is null
        ? $"{budget.Mode} budget: >= {F(max)} s (the longest hold tried survived)"
        : $"{budget.Mode} budget: {F(budget.Survived)} s (a {F(budget.CutAt.Value)} s hold was cut after {F(budget.CutAfter ?? 0)} s)";

    private static IEnumerable<string> Advice(HoldProbe.Budget silent, HoldProbe.Budget drip, double max)
    {
        var idle = silent.CutAt is null ? max : silent.Survived;
        var longPoll = Math.Max(1, Math.Floor(idle * 0.75));
        var keepAlive = Math.Max(1, Math.Floor(idle / 3));
        yield return "implied settings:";
        yield return $"  Longhaul:Http:ChainIdleTimeout = {TimeSpan.FromSeconds(Math.Floor(idle)):c}   (the silent budget{(silent.CutAt is null ? ", at least" : "")})";
        yield return $"  Longhaul:Http:LongPollMax      = {TimeSpan.FromSeconds(longPoll):c}   (below the silent budget with margin)";
        yield return $"  Longhaul:Http:KeepAliveInterval = {TimeSpan.FromSeconds(keepAlive):c}   (a third of the silent budget)";
        yield return $"go async: calls that may take longer than {F(longPoll)} s should answer 202 (or Prefer: wait={F(longPoll)}) and be followed by /wait or the event stream;";
        yield return drip.CutAt is null
            ? $"  event streams with keep-alives survive at least {F(max)} s."
            : $"  even a dripping response is cut after {F(drip.Survived)} s: reconnect event streams with Last-Event-ID before that.";
    }
}
