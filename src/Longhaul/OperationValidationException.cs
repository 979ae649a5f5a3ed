namespace Longhaul;

/// <summary>
/// A start from code was refused, as the HTTP API would refuse it with 422: an unknown kind, an input its handler does
/// not accept, or an option out of range. <see cref="Errors"/> names every problem at once.
/// </summary>
public class OperationValidationException : Exception
{
    /// <summary>A refusal for <paramref name="errors"/>: field (the JSON path of the equivalent HTTP request, e.g. <c>kind</c>, <c>input.seconds</c>, <c>options.max_attempts</c>) to messages.</summary>
    public OperationValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(Describe(errors)) => Errors = errors;

    /// <summary>A refusal with no field errors.</summary>
    public OperationValidationException() : this(new Dictionary<string, string[]>()) { }

    /// <summary>A refusal with <paramref name="message"/> and no field errors.</summary>
    public OperationValidationException(string message) : base(message) => Errors = new Dictionary<string, string[]>();

    /// <summary>A refusal with <paramref name="message"/>, caused by <paramref name="innerException"/>, and no field errors.</summary>
    public OperationValidationException(string message, Exception innerException) : base(message, innerException) => Errors = new Dictionary<string, string[]>();

    /// <summary>Every problem: field (its JSON path, as in the API's 422 <c>errors</c>) to messages.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    private static string Describe(IReadOnlyDictionary<string, string[]> errors)
        => errors.Count == 0
            ? "The operation was not started: it is invalid."
            : "The operation was not started: " + string.Join("; ", errors.Select(e => $"{(e.Key.Length == 0 ? "(root)" : e.Key)} {string.Join(", ", e.Value)}")) + ".";
}
