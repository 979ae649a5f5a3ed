using System.Text.Json;

namespace Longhaul;

/// <summary>Thrown by a handler to fail the operation at once, without retry.</summary>
public class PermanentFailureException : Exception
{
    /// <summary>Fails the operation with <paramref name="code"/> (its <c>error.code</c>), <paramref name="message"/> and optional <paramref name="details"/>, kept as given.</summary>
    public PermanentFailureException(string code, string message, JsonElement? details = null) : base(message)
    {
        Code = code;
        Details = details;
    }

    /// <summary>Fails the operation with code <c>failed</c> and a generic message.</summary>
    public PermanentFailureException() : this("failed", "The operation failed.") { }

    /// <summary>Fails the operation with code <c>failed</c> and <paramref name="message"/>.</summary>
    public PermanentFailureException(string message) : this("failed", message) { }

    /// <summary>Fails the operation with code <c>failed</c> and <paramref name="message"/>; <paramref name="innerException"/> is not stored.</summary>
    public PermanentFailureException(string message, Exception innerException) : base(message, innerException) => Code = "failed";

    /// <summary>The operation's <c>error.code</c>: stable and machine-readable, <c>failed</c> unless given.</summary>
    public string Code { get; }

    /// <summary>Stored as the operation's <c>error.details</c>; null for none.</summary>
    public JsonElement? Details { get; }
}
