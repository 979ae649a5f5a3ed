using System.Globalization;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore;

/// <summary>An operation's webhook delivery log and redelivery; the caller's tenant's signing secrets and their rotation.</summary>
internal static class WebhookEndpoints
{
    /// <summary>The default overlap of a rotation: receivers have a day to switch to the new secret.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromHours(24);

    /// <summary>The longest overlap a rotation accepts.</summary>
    public static readonly TimeSpan MaxOverlap = TimeSpan.FromDays(30);

    public static async Task ListDeliveriesAsync(HttpContext context, string id)
    {
        var log = await Store(context).ReadDeliveryLogAsync(new DeliveryLogParams(OperationEndpoints.Tenant(context), id), context.RequestAborted).ConfigureAwait(false);
        if (log is null)
        {
            await ProblemResults.NotFoundAsync(context).ConfigureAwait(false);
            return;
        }
        await JsonResponses.WriteAsync(context, ToResource(log), LonghaulJson.Default.WebhookDeliveryList).ConfigureAwait(false);
    }

    public static async Task RedeliverAsync(HttpContext context, string id, string deliveryId)
    {
        var tenant = OperationEndpoints.Tenant(context);
        var store = Store(context);
        if (await store.RedeliverAsync(new RedeliverParams(tenant, id, deliveryId), context.RequestAborted).ConfigureAwait(false) == RedeliverOutcome.NotFound)
        {
            if (await store.GetAsync(new GetParams(tenant, id), context.RequestAborted).ConfigureAwait(false) is null) await ProblemResults.NotFoundAsync(context).ConfigureAwait(false);
            else await ProblemResults.WriteAsync(context, ProblemCodes.DeliveryNotFound, "The operation has no webhook delivery with this id.").ConfigureAwait(false);
            return;
        }
        // Redelivery wakes the sender through its poll; the answer shows the delivery as it stands now.
        var log = await store.ReadDeliveryLogAsync(new DeliveryLogParams(tenant, id), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        await JsonResponses.WriteAsync(context, ToResource(log!), LonghaulJson.Default.WebhookDeliveryList).ConfigureAwait(false);
    }

    public static async Task GetSecretAsync(HttpContext context)
    {
        var secrets = await context.RequestServices.GetRequiredService<WebhookSecrets>()
            .ShowAsync(OperationEndpoints.Tenant(context), context.RequestAborted).ConfigureAwait(false);
        await JsonResponses.WriteAsync(context, ToResource(secrets), LonghaulJson.Default.WebhookSecretList).ConfigureAwait(false);
    }

    public static async Task RotateSecretAsync(HttpContext context)
    {
        var overlap = DefaultOverlap;
        if (context.Request.Query.TryGetValue("overlap_seconds", out var raw))
        {
            if (raw.Count != 1 || !int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxOverlap.TotalSeconds)
            {
                await ProblemResults.BadParameterAsync(context, "overlap_seconds", $"must be an integer from 0 to {MaxOverlap.TotalSeconds}").ConfigureAwait(false);
                return;
            }
            overlap = TimeSpan.FromSeconds(seconds);
        }
        var secrets = await context.RequestServices.GetRequiredService<WebhookSecrets>()
            .RotateAsync(OperationEndpoints.Tenant(context), overlap, context.RequestAborted).ConfigureAwait(false);
        await JsonResponses.WriteAsync(context, ToResource(secrets), LonghaulJson.Default.WebhookSecretList).ConfigureAwait(false);
    }

    private static WebhookSecretList ToResource(IReadOnlyList<WebhookSecret> secrets) => new()
    {
        Secrets = [.. secrets.Select(s => new WebhookSecretInfo { Secret = s.Secret, CreatedAt = s.CreatedAt, ExpiresAt = s.ExpiresAt })],
    };

    private static WebhookDeliveryList ToResource(DeliveryLog log) => new()
    {
        Deliveries = [.. log.Deliveries.Select(d => new WebhookDeliveryResource
        {
            Id = d.Id,
            Type = d.EventType,
            Url = d.Url,
            Status = Wire(d.Status),
            NextAttemptAt = d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null,
            CreatedAt = d.CreatedAt,
            Attempts = [.. log.Attempts.Where(a => a.DeliveryId == d.Id).Select(a => new WebhookAttemptResource
            {
                Attempt = a.Attempt,
                StartedAt = a.StartedAt,
                DurationMs = a.DurationMs,
                StatusCode = a.StatusCode,
                Error = a.Error,
                Outcome = Wire(a.Outcome),
                NextAttemptAt = a.NextAttemptAt,
            })],
        })],
    };

    private static string Wire(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => "pending",
        WebhookDeliveryStatus.Delivering => "delivering",
        WebhookDeliveryStatus.Delivered => "delivered",
        WebhookDeliveryStatus.Gone => "gone",
        _ => "failed",
    };

    private static IOperationStore Store(HttpContext context) => context.RequestServices.GetRequiredService<IOperationStore>();
}
