using System.Net;
using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>An error answer from the server, with its problem document when it sent one.</summary>
public sealed class LonghaulApiException : Exception
{
    /// <summary>An error answer with <paramref name="status"/> and its parsed <paramref name="problem"/> (null when the body was none).</summary>
    public LonghaulApiException(HttpStatusCode status, Problem? problem)
        : base(MessageOf(status, problem))
    {
        StatusCode = status;
        Problem = problem;
    }

    /// <summary>A 500 without a problem document.</summary>
    public LonghaulApiException() : this(HttpStatusCode.InternalServerError, null) { }

    /// <summary>An error with <paramref name="message"/>; <see cref="StatusCode"/> is 0.</summary>
    public LonghaulApiException(string message) : base(message) { }

    /// <summary>An error with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public LonghaulApiException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The status the server answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem document the server sent; null when the body was not one.</summary>
    public Problem? Problem { get; }

    /// <summary>"Longhaul answered 422 validation_failed: …", followed by each field error ("callback_url: is refused: …").</summary>
    private static string MessageOf(HttpStatusCode status, Problem? problem)
    {
        if (problem is null) return $"Longhaul answered {(int)status}.";
        var message = $"Longhaul answered {(int)status} {problem.Code}: {problem.Detail ?? problem.Title}";
        if (problem.Errors is not { Count: > 0 } errors) return message;
        return message + string.Concat(errors.SelectMany(e => e.Value.Select(text => $"{Environment.NewLine}  {e.Key}: {text}")));
    }
}
