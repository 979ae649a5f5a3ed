using Longhaul.Testing;

namespace Longhaul.Store.Tests.Engine;

/// <summary>
/// A hand-moved clock whose timers count on a coarse tick, as the runtime's timers do: a timer's due time is taken from
/// the last tick, so it can fire up to one tick before the clock reaches it.
/// </summary>
internal sealed class CoarseTimerTimeProvider(ManualTimeProvider clock, TimeSpan tick) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new CoarseTimer(this, clock.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>How long from now until the tick on which a timer due in <paramref name="dueTime"/> fires.</summary>
    private TimeSpan Coarse(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan || dueTime <= TimeSpan.Zero) return dueTime;
        var now = clock.GetUtcNow().UtcTicks;
        var lastTick = now - now % tick.Ticks;
        var due = lastTick + dueTime.Ticks;
        var firingTick = due % tick.Ticks == 0 ? due : due - due % tick.Ticks + tick.Ticks;
        return TimeSpan.FromTicks(firingTick - now);
    }

    private sealed class CoarseTimer(CoarseTimerTimeProvider owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Coarse(dueTime), period);

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
