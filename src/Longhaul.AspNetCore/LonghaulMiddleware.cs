using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Longhaul.AspNetCore;

/// <summary>
/// Wraps every request: unhandled errors become a 500 problem (never a stack trace), empty error answers from
/// routing (404, 405) get a problem body, and <c>/v1</c> calls are authenticated to a tenant.
/// </summary>
internal sealed partial class LonghaulMiddleware(RequestDelegate next, TenantResolver tenants, ILogger<LonghaulMiddleware> logger)
{
    public const string TenantItem = "longhaul.tenant";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            if (context.Request.Path.StartsWithSegments("/v1"))
            {
                var tenant = await tenants.ResolveAsync(context).ConfigureAwait(false);
                if (tenant is null)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await ProblemResults.WriteAsync(context, ProblemCodes.Unauthorized,
                        "A valid API key is required: send 'Authorization: Bearer <key>'.").ConfigureAwait(false);
                    return;
                }
                context.Items[TenantItem] = tenant;
            }
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentType is null)
            {
                var status = context.Response.StatusCode;
                var (code, detail) = status switch
                {
                    404 => (ProblemCodes.NotFound, "No such route."),
                    405 => (ProblemCodes.MethodNotAllowed, $"This route does not accept {context.Request.Method}; see the Allow header."),
                    413 => (ProblemCodes.BodyTooLarge, "The request body is too large."),
                    415 => (ProblemCodes.UnsupportedMediaType, "The request's content type is not supported."),
                    _ => (ProblemCodes.HttpError, "The request failed."),
                };
                // The status is the one the endpoint set: http_error covers every other error status it may set.
                await ProblemResults.WriteAsync(context, ProblemCatalog.Get(code) with { Status = status }, detail).ConfigureAwait(false);
            }
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel found the body's framing bad (or too large, or too slow) while the app read it.
            var (definition, _) = RejectedRequestProblems.Describe(ex.StatusCode);
            await ProblemResults.WriteAsync(context, definition, ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex)
        {
            LogUnhandled(ex, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await ProblemResults.WriteAsync(context, ProblemCodes.InternalError,
                    "The server failed to handle the request; it has been logged.").ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private partial void LogUnhandled(Exception ex, string method, string path);
}
