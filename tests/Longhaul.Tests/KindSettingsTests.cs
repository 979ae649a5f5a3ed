using Longhaul.Execution;
using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.TypedKinds;
using Microsoft.Extensions.DependencyInjection;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>Per-kind settings: defaults in code, overridden by <c>Longhaul:Kinds:{kind}</c>, validated at start-up; slots per node.</summary>
public sealed class KindSettingsTests
{
    private static readonly object PackInput = new { customer = "Ada", code = "ABC-1234", address = new { street = "Main 1", zip = "12345" } };

    [Fact]
    public async Task Start_KindWithDefaultsInCode_UsesThemWhenTheRequestGivesNone()
    {
        await using var host = await TestHost.StartWithServicesAsync(s => s.AddOperationHandler<PackHandler>());

        var started = await host.Client.StartOperationOkAsync(PackHandler.Name, PackInput);
        var done = await host.Client.WaitDoneAsync(started.Id());
        var sleep = await host.Client.SleepAsync();

        Assert.Equal(7, started.GetProperty("max_attempts").GetInt32());
        Assert.Equal(7, done.GetProperty("result").GetProperty("max_attempts").GetInt32());
        Assert.Equal(600, done.GetProperty("result").GetProperty("timeout_seconds").GetDouble());
        Assert.Equal(3, sleep.GetProperty("max_attempts").GetInt32());
    }

    [Fact]
    public async Task Start_KindConfigured_ConfigurationOverridesCodeAndRequestOverridesBoth()
    {
        await using var host = await TestHost.StartWithServicesAsync(s => s.AddOperationHandler<PackHandler>(), new Dictionary<string, string?>
        {
            ["Longhaul:Kinds:pack:MaxAttempts"] = "4",
            ["Longhaul:Kinds:pack:TimeoutSeconds"] = "90",
            ["Longhaul:Kinds:sleep:MaxAttempts"] = "9",
        });

        var configured = await host.Client.WaitDoneAsync((await host.Client.StartOperationOkAsync(PackHandler.Name, PackInput)).Id());
        using var explicitResponse = await host.Client.PostAsync("/v1/operations",
            Json(new { kind = PackHandler.Name, input = PackInput, options = new { max_attempts = 2, timeout_seconds = 30 } }), Ct);
        var explicitOp = await host.Client.WaitDoneAsync((await ReadJsonAsync(explicitResponse)).Id());
        var sleep = await host.Client.SleepAsync();

        Assert.Equal(4, configured.GetProperty("max_attempts").GetInt32());
        Assert.Equal(90, configured.GetProperty("result").GetProperty("timeout_seconds").GetDouble());
        Assert.Equal(2, explicitOp.GetProperty("max_attempts").GetInt32());
        Assert.Equal(30, explicitOp.GetProperty("result").GetProperty("timeout_seconds").GetDouble());
        Assert.Equal(9, sleep.GetProperty("max_attempts").GetInt32());
    }

    [Fact]
    public async Task Claim_KindCappedAtOneSlot_NeverRunsTwoAtOnceWhileOtherKindsRun()
    {
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?> { ["Longhaul:Kinds:gate:Slots"] = "1" });
        var first = host.NewGate();
        var second = host.NewGate();

        var firstOp = await host.Client.StartOperationOkAsync(GateHandler.Name, first.Input);
        await first.Started.Task.WaitAsync(Ct);
        var secondOp = await host.Client.StartOperationOkAsync(GateHandler.Name, second.Input);
        // Started after the second gate operation, so without the cap it would not run before that one.
        var other = await host.Client.WaitDoneAsync((await host.Client.SleepAsync()).Id());

        Assert.Equal("succeeded", other.Status());
        Assert.Equal("pending", (await host.Client.GetJsonAsync($"/v1/operations/{secondOp.Id()}")).Status());
        Assert.False(second.Started.Task.IsCompleted);

        first.Open();
        await second.Started.Task.WaitAsync(Ct);
        Assert.Equal("succeeded", (await host.Client.GetJsonAsync($"/v1/operations/{firstOp.Id()}")).Status());
        second.Open();
        Assert.Equal("succeeded", (await host.Client.WaitDoneAsync(secondOp.Id())).Status());
        Assert.Equal(1, second.Runs);
    }

    [Theory]
    [InlineData("Longhaul:Kinds:sleep:Slots", "0", "Longhaul:Kinds:sleep:Slots")]
    [InlineData("Longhaul:Kinds:sleep:MaxAttempts", "1000", "Longhaul:Kinds:sleep:MaxAttempts")]
    [InlineData("Longhaul:Kinds:sleep:TimeoutSeconds", "-5", "Longhaul:Kinds:sleep:TimeoutSeconds")]
    [InlineData("Longhaul:Kinds:sleep:RetryBaseDelay", "00:10:00", "Longhaul:Kinds:sleep:RetryBaseDelay")]
    [InlineData("Longhaul:Kinds:slep:MaxAttempts", "2", "Longhaul:Kinds:slep")]
    public async Task Start_BadKindConfiguration_FailsStartUpNamingTheSetting(string key, string value, string named)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartWithSettingsAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadDefaultsInCode_FailsStartUpNamingTheHandler()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartWithServicesAsync(s => s.AddOperationHandler<BadDefaultsHandler>()));

        Assert.Contains("BadDefaultsHandler.Defaults.Slots", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BadDefaultsHandler.Defaults.RetryBaseDelay", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetryDelay_KindWithOwnDelays_UsesThemElseTheRegisteredPolicy()
    {
        var engine = new LonghaulEngineOptions { RetryBaseDelay = TimeSpan.FromMinutes(1), RetryMaxDelay = TimeSpan.FromMinutes(10) };
        var policy = new FixedPolicy(TimeSpan.FromDays(1));

        var own = new KindSettings(3, null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), null).RetryDelay(5, policy, engine);
        var baseOnly = new KindSettings(3, null, TimeSpan.FromSeconds(2), null, null).RetryDelay(1, policy, engine);
        var none = new KindSettings(3, null, null, null, null).RetryDelay(5, policy, engine);

        Assert.InRange(own, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
        Assert.InRange(baseOnly, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromDays(1), none);
    }

    private sealed class FixedPolicy(TimeSpan delay) : IRetryPolicy
    {
        public TimeSpan GetDelay(int attempt) => delay;
    }
}
