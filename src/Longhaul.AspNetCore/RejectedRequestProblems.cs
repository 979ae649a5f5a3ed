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
    /// <summary>
    /// The problem for Kestrel's <paramref name="status"/> and its fixed detail. The status stays Kestrel's own: it is
    /// already on the status line, and any status without a code of its own is <c>bad_request</c>, whose catalog status
    /// (400) is only the usual one.
    /// </summary>
    public static (ProblemDefinition Definition, string Detail) Describe(int status)
    {
        var (code, detail) = status switch
        {
            405 => (ProblemCodes.MethodNotAllowed, "The server does not accept this method here; see the Allow header."),
            408 => (ProblemCodes.RequestTimeout, "The request's headers or body did not arrive in time."),
            411 => (ProblemCodes.LengthRequired, "A request with a body needs a Content-Length (or, in HTTP/1.1, chunked transfer encoding)."),
            413 => (ProblemCodes.BodyTooLarge, "The request body is too large."),
            414 => (ProblemCodes.UriTooLong, "The request line (method, target and version) is longer than the server accepts."),
            431 => (ProblemCodes.RequestHeadersTooLarge, "The request has more header bytes or more header fields than the server accepts."),
            505 => (ProblemCodes.HttpVersionNotSupported, "The request's HTTP version is not one this server speaks."),
            _ => (ProblemCodes.BadRequest, "The server could not read the request: its request line, a header or its body framing is malformed."),
        };
        return (ProblemCatalog.Get(code) with { Status = status }, detail);
    }

    /// <summary>The problem document for <paramref name="status"/>, as UTF-8 JSON.</summary>
    public static byte[] Body(int status)
    {
        var (definition, detail) = Describe(status);
        return JsonSerializer.SerializeToUtf8Bytes(definition.ToProblem(detail), LonghaulJson.Default.Problem);
    }
}
