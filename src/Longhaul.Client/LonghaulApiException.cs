using System.Net;
using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>An error answer from the server, with its problem document when it sent one.</summary>
public sealed class LonghaulApiException : Exception
{
    public LonghaulApiException(HttpStatusCode status, Problem? problem)
        : base(problem is null ? $"Longhaul answered {(int)status}." : $"Longhaul answered {(int)status} {problem.Code}: {problem.Detail ?? problem.Title}")
    {
        StatusCode = status;
        Problem = problem;
    }

    public LonghaulApiException() : this(HttpStatusCode.InternalServerError, null) { }

    public LonghaulApiException(string message) : base(message) { }

    public LonghaulApiException(string message, Exception innerException) : base(message, innerException) { }

    public HttpStatusCode StatusCode { get; }

    public Problem? Problem { get; }
}
