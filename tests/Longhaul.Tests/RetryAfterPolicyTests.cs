using Longhaul.AspNetCore;
using Longhaul.Testing;
using Microsoft.Extensions.Options;

namespace Longhaul.Tests;

public sealed class RetryAfterPolicyTests
{
    private readonly ManualTimeProvider _time = new();

    private RetryAfterPolicy Policy(LonghaulApiOptions? options = null) => new(Options.Create(options ?? new LonghaulApiOptions()), _time);

    private Operation Op(DateTimeOffset? eta = null, TimeSpan? age = null) => new()
    {
        Id = "op_00000000000000000000000000",
        Tenant = "default",
        Kind = "sleep",
        CreatedAt = _time.GetUtcNow() - (age ?? TimeSpan.Zero),
        UpdatedAt = _time.GetUtcNow(),
        EstimatedCompletion = eta,
    };

    [Fact]
    public void Seconds_EstimatedCompletionThreeSecondsAhead_IsThree()
        => Assert.Equal(3, Policy().Seconds(Op(eta: _time.GetUtcNow().AddSeconds(3), age: TimeSpan.FromHours(1))));

    [Fact]
    public void Seconds_EstimatedCompletionFractionAhead_RoundsUp()
        => Assert.Equal(3, Policy().Seconds(Op(eta: _time.GetUtcNow().AddSeconds(2.2))));

    [Fact]
    public void Seconds_EstimatedCompletionFarAhead_IsCappedAtThirty()
        => Assert.Equal(30, Policy().Seconds(Op(eta: _time.GetUtcNow().AddHours(5))));

    [Fact]
    public void Seconds_EstimatedCompletionPassed_IsTheMinimumOfOne()
        => Assert.Equal(1, Policy().Seconds(Op(eta: _time.GetUtcNow().AddSeconds(-10))));

    [Fact]
    public void Seconds_UnknownEstimate_GrowsWithAgeFromOneToTheCap()
    {
        var policy = Policy();
        var op = Op(); // Created now, no estimate.
        var seen = new List<int>();
        foreach (var step in new[] { 0, 2, 8, 30, 60, 120 })
        {
            if (step > 0) _time.Advance(TimeSpan.FromSeconds(step));
            seen.Add(policy.Seconds(op));
        }

        Assert.Equal(1, seen[0]);
        Assert.All(seen, s => Assert.InRange(s, 1, 30));
        for (var i = 1; i < seen.Count; i++) Assert.True(seen[i] >= seen[i - 1], string.Join(",", seen));
        Assert.Equal(10, seen[3]); // 40 s old: a quarter of its age.
        Assert.Equal(30, seen[^1]);
    }

    [Fact]
    public void Seconds_ConfiguredBounds_AreHonoured()
    {
        var policy = Policy(new LonghaulApiOptions { RetryAfterMin = TimeSpan.FromSeconds(2), RetryAfterMax = TimeSpan.FromSeconds(5) });

        Assert.Equal(2, policy.Seconds(Op()));
        Assert.Equal(5, policy.Seconds(Op(eta: _time.GetUtcNow().AddMinutes(10))));
        Assert.Equal(4, policy.Seconds(Op(eta: _time.GetUtcNow().AddSeconds(4))));
    }
}
