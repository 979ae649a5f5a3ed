namespace Longhaul;

/// <summary>The idempotency key was already used with a different start (another kind, input, metadata or options); nothing was started.</summary>
public class IdempotencyKeyReusedException : Exception
{
    /// <summary>The key is already used with a different start.</summary>
    public IdempotencyKeyReusedException() : base("The idempotency key is already used with a different start.") { }

    /// <summary>The key is already used with a different start, with <paramref name="message"/>.</summary>
    public IdempotencyKeyReusedException(string message) : base(message) { }

    /// <summary>The key is already used with a different start, with <paramref name="message"/> and <paramref name="innerException"/>.</summary>
    public IdempotencyKeyReusedException(string message, Exception innerException) : base(message, innerException) { }
}
