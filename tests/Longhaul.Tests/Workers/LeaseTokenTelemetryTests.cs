using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Longhaul.AspNetCore.Workers;
using Longhaul.Storage;
using Longhaul.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Tests.Workers;

/// <summary>
/// Lease tokens carry a remote attempt's claim time, warning time and claim span context; the five-part tokens issued
/// before they did still verify (an upgrade strands no lease), and a signed token whose telemetry parts are malformed
/// does not.
/// </summary>
public sealed class LeaseTokenTelemetryTests
{
    [Fact]
    public async Task Tokens_NewRoundTrip_OldFormVerifies_MalformedTelemetryRefused()
    {
        await using var host = await TestHost.StartAsync();
        var tokens = host.Services.GetRequiredService<LeaseTokens>();
        var store = host.Services.GetRequiredService<IOperationStore>();
        var claimedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var claim = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var op = new Operation { Id = "op_x", Kind = "k", Tenant = "acme", LeaseEpoch = 3, DeadlineAt = claimedAt.AddMinutes(1) };

        var issued = await tokens.VerifyAsync(await tokens.IssueAsync(op, claimedAt, claimedAt.AddSeconds(48), claim, Http.Ct), Http.Ct);
        Assert.NotNull(issued);
        Assert.Equal(("op_x", 3L, "acme", claimedAt.AddMinutes(1)), (issued.Id, issued.Epoch, issued.Tenant, issued.DeadlineAt!.Value));
        Assert.Equal(claimedAt, issued.ClaimedAt);
        Assert.Equal(claimedAt.AddSeconds(48), issued.WarnAt);
        Assert.Equal((claim.TraceId, claim.SpanId), (issued.Claim!.Value.TraceId, issued.Claim.Value.SpanId));

        var untraced = await tokens.VerifyAsync(await tokens.IssueAsync(op with { DeadlineAt = null }, claimedAt, null, null, Http.Ct), Http.Ct);
        Assert.Equal((null, (DateTimeOffset?)null, (ActivityContext?)null), (untraced!.DeadlineAt, untraced.WarnAt, untraced.Claim));

        var key = await store.GetOrAddSecretAsync(new SecretParams("worker-lease-token-key", new byte[32]), Http.Ct);
        string Sign(string body) => body + "." + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var old = await tokens.VerifyAsync(Sign("op_x.3.acme.-"), Http.Ct);
        Assert.Equal(("op_x", 3L, (DateTimeOffset?)null, (ActivityContext?)null), (old!.Id, old.Epoch, old.ClaimedAt, old.Claim));

        Assert.Null(await tokens.VerifyAsync(Sign("op_x.3.acme.-.1.-.nothex-0000000000000000"), Http.Ct));
        Assert.Null(await tokens.VerifyAsync(Sign("op_x.3.acme.-.x.-.-"), Http.Ct));
        Assert.Null(await tokens.VerifyAsync(Sign("op_x.3.acme.-.1.-"), Http.Ct));
    }
}
