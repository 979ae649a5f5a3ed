using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.AspNetCore;

/// <summary>
/// The problem documents of requests the HTTP server itself refuses (Kestrel's <c>BadHttpRequestException</c>): one
/// stable code per status Kestrel uses. The detail is fixed text, never Kestrel's message, which can quote the
/// offending request line or header (an <c>Authorization</c> value, say).
/// </summary>
internal static class RejectedRequestProblems
{
    public static (string Code, string Title, string Detail) Describe(int status) => status switch
    {
        405 => (ProblemCodes.MethodNotAllowed, "Method not allowed", "The server does not accept this method here; see the Allow header."),
        408 => (ProblemCodes.RequestTimeout, "Request timeout", "The request's headers or body did not arrive in time."),
        411 => (ProblemCodes.LengthRequired, "Length required", "A request with a body needs a Content-Length (or, in HTTP/1.1, chunked transfer encoding)."),
        413 => (ProblemCodes.BodyTooLarge, "Request body too large", "The request body is too large."),
        414 => (ProblemCodes.UriTooLong, "URI too long", "The request line (method, target and version) is longer than the server accepts."),
        431 => (ProblemCodes.RequestHeadersTooLarge, "Request headers too large", "The request has more header bytes or more header fields than the server accepts."),
        505 => (ProblemCodes.HttpVersionNotSupported, "HTTP version not supported", "The request's HTTP version is not one this server speaks."),
        _ => (ProblemCodes.BadRequest, "Bad request", "The server could not read the request: its request line, a header or its body framing is malformed."),
    };

    /// <summary>The problem document for <paramref name="status"/>, as UTF-8 JSON.</summary>
    public static byte[] Body(int status)
    {
        var (code, title, detail) = Describe(status);
        var problem = new Problem
        {
            Type = $"https://longhaul.dev/problems/{code.Replace('_', '-')}",
            Title = title,
            Status = status,
            Detail = detail,
            Code = code,
        };
        return JsonSerializer.SerializeToUtf8Bytes(problem, LonghaulJson.Default.Problem);
    }
}
