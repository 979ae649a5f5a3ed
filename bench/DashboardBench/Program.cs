// Time to first live update: an operation started through the API, until its row is in the dashboard's table
// (the /v1/events stream), against the baseline a dashboard without a stream would have: polling the list once a
// second. Both measured in the same run, against the same server, N times each; medians and p90 printed.
//
//   dotnet run -c Release -- <base-url> <api-key> [runs]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

var baseUrl = args[0].TrimEnd('/');
var key = args[1];
var runs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20;
using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

async Task<string> CreateAsync()
{
    using var response = await http.PostAsync("/v1/operations", new StringContent("""{"kind":"sleep","input":{"seconds":0.2}}""", Encoding.UTF8, "application/json"));
    response.EnsureSuccessStatusCode();
    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    return doc.RootElement.GetProperty("id").GetString()!;
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
var page = await browser.NewPageAsync();
await page.GotoAsync(baseUrl + "/ui/");
await page.Locator("#api-key").FillAsync(key);
await page.Locator("form.sign-in button[type=submit]").ClickAsync();
await page.Locator("#ops").WaitForAsync();
await CreateAsync(); // warm-up
await Task.Delay(1000);

var live = new List<double>();
for (var i = 0; i < runs; i++)
{
    var clock = Stopwatch.StartNew();
    var id = await CreateAsync();
    await page.Locator($"tr[data-id='{id}']").WaitForAsync(new() { Timeout = 30_000 });
    live.Add(clock.Elapsed.TotalMilliseconds);
}

// Baseline: a poller that lists the first page every second finds the new operation at its next poll.
var polled = new List<double>();
for (var i = 0; i < runs; i++)
{
    // Start at a random phase of the poll period, as a create does relative to an independent poller.
    var phase = Random.Shared.NextDouble();
    var clock = Stopwatch.StartNew();
    var id = await CreateAsync();
    var nextPoll = TimeSpan.FromSeconds(phase);
    while (true)
    {
        var wait = nextPoll - clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var list = await http.GetStringAsync("/v1/operations?page_size=25");
        if (list.Contains(id, StringComparison.Ordinal)) break;
        nextPoll += TimeSpan.FromSeconds(1);
    }
    polled.Add(clock.Elapsed.TotalMilliseconds);
}

static double Pct(List<double> xs, double p)
{
    var s = xs.Order().ToList();
    return s[(int)Math.Min(s.Count - 1, Math.Ceiling(p * s.Count) - 1)];
}

Console.WriteLine($"live_update runs={runs} median_ms={Pct(live, 0.5):F0} p90_ms={Pct(live, 0.9):F0}");
Console.WriteLine($"poll_1s_baseline runs={runs} median_ms={Pct(polled, 0.5):F0} p90_ms={Pct(polled, 0.9):F0}");
Console.WriteLine($"ratio_median live/baseline={Pct(live, 0.5) / Pct(polled, 0.5):F2}");
