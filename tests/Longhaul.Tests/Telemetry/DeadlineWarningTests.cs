using System.Net;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.Telemetry;

/// <summary>
/// An attempt still running at <c>Longhaul:DeadlineWarningFraction</c> of its timeout tells watchers with an SSE
/// <c>warning</c> event (<c>deadline_approaching</c>) in the operation's log, before the deadline fails it.
/// </summary>
public sealed class DeadlineWarningTests
{
    [Fact]
    public async Task Events_RunningPastWarningFraction_WarningEventBeforeDeadlineFailure()
    {
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?> { ["Longhaul:DeadlineWarningFraction"] = "0.5" });
        using var response = await host.Client.PostAsync("/v1/operations", Http.Json(new { kind = "sleep", input = new { seconds = 600, steps = 600 }, options = new { timeout_seconds = 2 } }), Http.Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await Http.ReadJsonAsync(response)).Id();

        using var stream = await SseClient.OpenAsync(host.Client, $"/v1/operations/{id}/events?after=0");
        var events = await stream.ReadToEndAsync();

        var types = events.Select(e => e.Type).Where(t => t is "warning" or "done").ToList();
        Assert.Equal(["warning", "done"], types);
        var warning = events.Single(e => e.Type == "warning").Data;
        Assert.Equal("deadline_approaching", warning.GetProperty("code").GetString());
        Assert.Equal("The operation has used 50 % of its timeout of 2 seconds.", warning.GetProperty("message").GetString());
        var done = events.Single(e => e.Type == "done").Data;
        Assert.Equal("deadline_exceeded", done.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(DateTimeOffset.Parse(warning.GetProperty("deadline_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(done.GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture).AddSeconds(2));
    }
}
