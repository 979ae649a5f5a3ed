using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Longhaul.AspNetCore;

/// <summary>
/// Wraps every request: unhandled errors become a 500 problem (never a stack trace), empty error answers from
/// routing (401, 403, 404, 405) get a problem body, and calls under an API mounted with API keys (<c>/v1</c> in
/// <c>longhaul serve</c>) are authenticated to a tenant, unknown routes included.
/// </summary>
internal sealed partial class LonghaulMiddleware(RequestDelegate next, TenantResolver tenants, LonghaulApiMounts mounts, ILogger<LonghaulMiddleware> logger)
{
    public const string TenantItem = "longhaul.tenant";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            if (mounts.IsKeyChecked(context.Request.Path))
            {
                var caller = await Admission.AuthAttempts.ResolveAsync(context, tenants).ConfigureAwait(false);
                if (caller is null) return;
                context.Items[TenantItem] = caller.Tenant;
                context.Items[LonghaulCaller.Item] = caller;
            }
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentType is null)
            {
                var status = context.Response.StatusCode;
                var (code, detail) = status switch
                {
                    401 => (ProblemCodes.Unauthorized, "Authentication is required."),
                    403 => (ProblemCodes.Forbidden, "The caller may not do this."),
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

    /// <summary>401 <c>unauthorized</c> with <c>WWW-Authenticate: Bearer</c>: no API key, or one the store does not know.</summary>
    public static Task WriteKeyRequiredAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ProblemResults.WriteAsync(context, ProblemCodes.Unauthorized, "A valid API key is required: send 'Authorization: Bearer <key>'.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private partial void LogUnhandled(Exception ex, string method, string path);
}
