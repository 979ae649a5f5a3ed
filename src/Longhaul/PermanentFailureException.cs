using System.Text.Json;

namespace Longhaul;

/// <summary>Thrown by a handler to fail the operation at once, without retry.</summary>
public class PermanentFailureException : Exception
{
    public PermanentFailureException(string code, string message, JsonElement? details = null) : base(message)
    {
        Code = code;
        Details = details;
    }

    public PermanentFailureException() : this("failed", "The operation failed.") { }

    public PermanentFailureException(string message) : this("failed", message) { }

    public PermanentFailureException(string message, Exception innerException) : base(message, innerException) => Code = "failed";

    public string Code { get; }

    public JsonElement? Details { get; }
}
