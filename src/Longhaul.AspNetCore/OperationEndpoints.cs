using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Execution;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>Create, read, wait, cancel, delete and list.</summary>
internal static class OperationEndpoints
{
    public static string Tenant(HttpContext context) => (string)context.Items[LonghaulMiddleware.TenantItem]!;

    public static async Task StartAsync(HttpContext context)
    {
        var (keyOk, key) = await OperationStarter.ReadIdempotencyKeyAsync(context).ConfigureAwait(false);
        if (!keyOk) return;
        var services = context.RequestServices;
        var parsed = await services.GetRequiredService<StartRequestParser>().ReadAsync(context).ConfigureAwait(false);
        if (parsed.Problem is not null)
        {
            await parsed.Problem(context).ConfigureAwait(false);
            return;
        }
        var request = parsed.Request!;
        var options = request.Options!;
        var operation = services.GetRequiredService<OperationStartRules>().Resolve(
            Tenant(context), request.Kind!, request.Input!.Value, request.Metadata,
            options.MaxAttempts ?? parsed.Registered?.Defaults?.MaxAttempts, options.TimeoutSeconds ?? parsed.Registered?.Defaults?.TimeoutSeconds, options.Priority,
            request.CallbackUrl, options);
        var (slotOk, slot) = await Admission.TenantAdmission.EnterPreferWaitAsync(context, operation.Tenant).ConfigureAwait(false);
        using var waiting = slot;
        if (!slotOk) return;
        var created = await OperationStarter.StartAsync(context, operation, parsed.Body, key).ConfigureAwait(false);
        if (created is null) return;
        if (created.WaitApplied) await WriteResourceAsync(context, 200, created.Operation).ConfigureAwait(false);
        else await OperationStarter.WriteAcceptedAsync(context, created.Operation).ConfigureAwait(false);
    }

    public static async Task GetAsync(HttpContext context, string id)
    {
        var op = await Store(context).GetAsync(new GetParams(Tenant(context), id), context.RequestAborted).ConfigureAwait(false);
        if (op is null) await ProblemResults.NotFoundAsync(context).ConfigureAwait(false);
        else await WriteResourceAsync(context, 200, op).ConfigureAwait(false);
    }

    public static async Task WaitAsync(HttpContext context, string id)
    {
        var cap = context.RequestServices.GetRequiredService<IOptions<LonghaulApiOptions>>().Value.LongPollMax;
        var timeout = cap;
        if (context.Request.Query.TryGetValue("timeout", out var raw))
        {
            if (raw.Count != 1 || !double.TryParse(raw[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                || seconds < 0 || double.IsNaN(seconds) || double.IsInfinity(seconds))
            {
                await ProblemResults.BadParameterAsync(context, "timeout", "must be a number of seconds, 0 or more").ConfigureAwait(false);
                return;
            }
            timeout = TimeSpan.FromSeconds(Math.Min(seconds, cap.TotalSeconds));
        }
        using var slot = await Admission.TenantAdmission.EnterConnectionAsync(context, Tenant(context)).ConfigureAwait(false);
        if (slot is null) return;
        using var polling = context.RequestServices.GetRequiredService<LonghaulMetrics>().LongPoll();
        var op = await context.RequestServices.GetRequiredService<OperationWaiter>()
            .WaitAsync(Tenant(context), id, timeout, context.RequestAborted).ConfigureAwait(false);
        if (op is null) await ProblemResults.NotFoundAsync(context).ConfigureAwait(false);
        else await WriteResourceAsync(context, 200, op).ConfigureAwait(false);
    }

    public static async Task CancelAsync(HttpContext context, string id)
    {
        var result = await Store(context).CancelAsync(new CancelParams(Tenant(context), id), context.RequestAborted).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case CancelOutcome.NotFound:
                await ProblemResults.NotFoundAsync(context).ConfigureAwait(false);
                break;
            case CancelOutcome.AlreadyTerminal:
                await ProblemResults.WriteAsync(context, ProblemCodes.OperationTerminal, $"The operation is already {result.Operation!.Status.ToWire()}.").ConfigureAwait(false);
                break;
            case CancelOutcome.Cancelled:
                context.RequestServices.GetRequiredService<LonghaulMetrics>().Finished(result.Operation!, OperationStatus.Cancelled, OperationErrors.CancelledCode, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
                await WriteResourceAsync(context, 200, result.Operation!).ConfigureAwait(false);
                break;
            default:
                await WriteResourceAsync(context, 202, result.Operation!).ConfigureAwait(false);
                break;
        }
    }

    public static async Task DeleteAsync(HttpContext context, string id)
    {
        switch (await Store(context).DeleteAsync(new DeleteParams(Tenant(context), id), context.RequestAborted).ConfigureAwait(false))
        {
            case DeleteOutcome.NotFound:
                await ProblemResults.NotFoundAsync(context).ConfigureAwait(false);
                break;
            case DeleteOutcome.NotTerminal:
                await ProblemResults.WriteAsync(context, ProblemCodes.OperationNotTerminal, "Only finished operations can be deleted; cancel it first.").ConfigureAwait(false);
                break;
            default:
                context.Response.StatusCode = 204;
                break;
        }
    }

    public static async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var maxPage = context.RequestServices.GetRequiredService<IOptions<LonghaulApiOptions>>().Value.MaxPageSize;
        var pageSize = Math.Min(20, maxPage);
        if (query.TryGetValue("page_size", out var ps))
        {
            if (ps.Count != 1 || !int.TryParse(ps[0], NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > maxPage)
            {
                await ProblemResults.BadParameterAsync(context, "page_size", $"must be an integer from 1 to {maxPage}").ConfigureAwait(false);
                return;
            }
        }
        var withCount = false;
        if (query.TryGetValue("count", out var c) && (c.Count != 1 || !bool.TryParse(c[0], out withCount) || c[0] is not ("true" or "false")))
        {
            await ProblemResults.BadParameterAsync(context, "count", "must be true or false").ConfigureAwait(false);
            return;
        }
        if (await ListQuery.ReadFilterAsync(context, pageSize).ConfigureAwait(false) is not { } filter) return;
        var tokens = context.RequestServices.GetRequiredService<PageTokens>();
        var scope = new PageTokenScope(filter);
        if (query.TryGetValue("page_token", out var pt) && !string.IsNullOrEmpty(pt))
        {
            if (pt.Count != 1 || await tokens.DecodeAsync(pt[0]!, scope, context.RequestAborted).ConfigureAwait(false) is not { } cursor)
            {
                await ProblemResults.BadParameterAsync(context, "page_token", "is not a token this server issued for this list (same API key and filters)").ConfigureAwait(false);
                return;
            }
            filter = filter with { BeforeCursor = cursor };
        }
        var page = await Store(context).ListAsync(filter, context.RequestAborted).ConfigureAwait(false);
        var total = withCount ? await Store(context).CountAsync(filter, context.RequestAborted).ConfigureAwait(false) : null;
        var list = new OperationList
        {
            Operations = [.. page.Operations.Select(o => o.ToResource())],
            NextPageToken = page.NextCursor is { } next ? await tokens.EncodeAsync(next, scope, context.RequestAborted).ConfigureAwait(false) : null,
            TotalCount = total?.Count,
            TotalCountExact = total?.Exact,
        };
        await JsonResponses.WriteAsync(context, list, LonghaulJson.Default.OperationList).ConfigureAwait(false);
    }

    public static async Task KindsAsync(HttpContext context)
    {
        var registry = context.RequestServices.GetRequiredService<OperationHandlerRegistry>();
        // Then the remote kinds worker keys registered at run time that this tenant sees (a name of this server's wins).
        var registered = await Store(context).ListRegisteredKindsAsync(Tenant(context), context.RequestAborted).ConfigureAwait(false);
        var compiled = context.RequestServices.GetRequiredService<Workers.RegisteredKinds>();
        var kinds = new KindList
        {
            Kinds =
            [
                .. registry.Handlers.Select(h => new KindInfo { Name = h.Kind, Description = h.Description, InputSchema = h.InputSchema }),
                .. registered.Where(r => !registry.TryGet(r.Name, out _)).Select(compiled.Handler)
                    .Select(h => new KindInfo { Name = h.Kind, Description = h.Description, InputSchema = h.InputSchema }),
            ],
        };
        await JsonResponses.WriteAsync(context, kinds, LonghaulJson.Default.KindList).ConfigureAwait(false);
    }

    public static async Task WriteResourceAsync(HttpContext context, int status, Operation op)
    {
        context.Response.StatusCode = status;
        if (!op.Done)
        {
            var seconds = context.RequestServices.GetRequiredService<RetryAfterPolicy>().Seconds(op);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        await JsonResponses.WriteAsync(context, op.ToResource(), LonghaulJson.Default.OperationResource).ConfigureAwait(false);
    }

    private static IOperationStore Store(HttpContext context) => context.RequestServices.GetRequiredService<IOperationStore>();
}
