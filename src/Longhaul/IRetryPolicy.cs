namespace Longhaul;

/// <summary>Decides how long a failed attempt waits before the next one.</summary>
public interface IRetryPolicy
{
    /// <param name="attempt">The attempt that just failed, starting at 1.</param>
    TimeSpan GetDelay(int attempt);
}
