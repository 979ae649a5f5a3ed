using System.Net;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests;

/// <summary><c>GET /v1/diagnostics/hold</c>: authenticated, capped, silent or dripping.</summary>
public sealed class DiagnosticsHoldTests
{
    [Fact]
    public async Task Silent_AnswersOnlyAtTheEnd_Drip_SendsSpacesFirst()
    {
        await using var host = await TestHost.StartAsync(tenants: "acme");

        using (var silent = await host.Client.GetAsync("/v1/diagnostics/hold?seconds=0.3&mode=silent", Http.Ct))
        {
            Assert.Equal(HttpStatusCode.OK, silent.StatusCode);
            Assert.Equal("held 0.3\n", await silent.Content.ReadAsStringAsync(Http.Ct));
        }
        using var drip = await host.Client.GetAsync("/v1/diagnostics/hold?seconds=0.5&mode=drip&interval=0.1", HttpCompletionOption.ResponseHeadersRead, Http.Ct);
        Assert.Equal(HttpStatusCode.OK, drip.StatusCode);
        var body = await drip.Content.ReadAsStringAsync(Http.Ct);
        Assert.EndsWith("held 0.5\n", body, StringComparison.Ordinal);
        Assert.StartsWith(" ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadParameters_AreProblems_AndTheHoldIsCapped_AndAuthenticated()
    {
        await using var host = await TestHost.StartAsync(api: o => o.DiagnosticsHoldMax = TimeSpan.FromSeconds(10), tenants: "acme");

        using (var response = await host.Client.GetAsync("/v1/diagnostics/hold?seconds=11", Http.Ct))
            await Http.AssertProblemAsync(response, 400, "invalid_parameter", "seconds");
        using (var response = await host.Client.GetAsync("/v1/diagnostics/hold", Http.Ct))
            await Http.AssertProblemAsync(response, 400, "invalid_parameter", "seconds");
        using (var response = await host.Client.GetAsync("/v1/diagnostics/hold?seconds=1&mode=loud", Http.Ct))
            await Http.AssertProblemAsync(response, 400, "invalid_parameter", "mode");
        using (var response = await host.CreateClient().GetAsync("/v1/diagnostics/hold?seconds=1", Http.Ct))
            await Http.AssertProblemAsync(response, 401, "unauthorized");
    }
}
