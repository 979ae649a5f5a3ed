using Longhaul.Testing;

namespace Longhaul.Tests;

public sealed class ManualTimeProviderTests
{
    [Fact]
    public void Advance_PastDueTime_FiresTimer()
    {
        var time = new ManualTimeProvider();
        var fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, fired);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, fired);
    }
}
