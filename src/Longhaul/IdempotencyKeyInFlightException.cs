namespace Longhaul;

/// <summary>A request with the idempotency key is still being processed (an HTTP start waiting with <c>Prefer: wait</c>); nothing was started. Retry later.</summary>
public class IdempotencyKeyInFlightException : Exception
{
    /// <summary>The key is still in flight.</summary>
    public IdempotencyKeyInFlightException() : base("The idempotency key is still in flight.") { }

    /// <summary>The key is still in flight, with <paramref name="message"/>.</summary>
    public IdempotencyKeyInFlightException(string message) : base(message) { }

    /// <summary>The key is still in flight, with <paramref name="message"/> and <paramref name="innerException"/>.</summary>
    public IdempotencyKeyInFlightException(string message, Exception innerException) : base(message, innerException) { }
}
