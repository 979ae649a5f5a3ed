using Longhaul.Execution;
using Longhaul.Testing;

namespace Longhaul.Store.Tests.Engine;

/// <summary>The deadline stop of one attempt follows the clock, not the timer that wakes it.</summary>
public sealed class RunningOperationDeadlineTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(4);

    [Fact]
    public void DeadlineTimerFiresATickBeforeTheClockReachesTheDeadline_TheRunIsStoppedOnlyOnceItHas()
    {
        // The clock starts between two ticks, so a timer due at the deadline fires 3 ms before it.
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero).AddMilliseconds(3));
        var time = new CoarseTimerTimeProvider(clock, Tick);
        var deadline = clock.GetUtcNow().AddSeconds(1);
        using var run = new RunningOperation(new Operation { Id = "op_deadline", Tenant = "t", Kind = "k", DeadlineAt = deadline }, store: null!, time);

        run.StopAtDeadline(deadline);
        clock.Advance(TimeSpan.FromMilliseconds(997));

        Assert.True(clock.GetUtcNow() < deadline);
        Assert.Equal(OperationStopReason.None, run.Reason);
        Assert.False(run.Token.IsCancellationRequested);

        clock.Advance(Tick);

        Assert.True(clock.GetUtcNow() >= deadline);
        Assert.Equal(OperationStopReason.DeadlineExceeded, run.Reason);
    }

    [Fact]
    public void DeadlineAlreadyPassedWhenArmed_StopsTheRunAtOnce()
    {
        var clock = new ManualTimeProvider();
        using var run = new RunningOperation(new Operation { Id = "op_late", Tenant = "t", Kind = "k" }, store: null!, clock);

        run.StopAtDeadline(clock.GetUtcNow().AddMilliseconds(-5));

        Assert.Equal(OperationStopReason.DeadlineExceeded, run.Reason);
    }

    [Fact]
    public void RunDisposedBeforeItsDeadline_TheTimerNoLongerStopsIt()
    {
        var clock = new ManualTimeProvider();
        var run = new RunningOperation(new Operation { Id = "op_done", Tenant = "t", Kind = "k" }, store: null!, clock);
        run.StopAtDeadline(clock.GetUtcNow().AddSeconds(1));

        run.Dispose();
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(OperationStopReason.None, run.Reason);
    }
}
