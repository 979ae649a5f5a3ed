namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>Awaits a condition only observable by asking again (e.g. a server-side cache expiring), bounded by a deadline.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);

    /// <summary>Calls <paramref name="probe"/> until <paramref name="done"/> holds or <paramref name="timeout"/> passes; returns the last value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTimeOffset.UtcNow >= deadline) return value;
            await Task.Delay(Pace, TestContext.Current.CancellationToken); // Pacing between probes, not a wait for state.
        }
    }
}
