using System.Diagnostics;

namespace Longhaul.Telemetry;

/// <summary>
/// The activity source <c>Longhaul</c>: a span for the store write of a start, one trace per attempt linked to the
/// trace that started the operation (its stored <c>traceparent</c>), checkpoints and output as span events, webhook
/// deliveries. With no listener (tracing not configured) every call here returns null or does nothing.
/// </summary>
internal static class LonghaulTracing
{
    /// <summary>The source's name.</summary>
    public const string SourceName = "Longhaul";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The current W3C <c>traceparent</c> when a recorded trace is in progress; null otherwise (nothing to link to).</summary>
    public static string? CurrentTraceParent()
        => Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } current ? current.Id : null;

    /// <summary>Starts the span of one attempt: a new trace, linked to the trace that started the operation when it was recorded.</summary>
    public static Activity? StartAttempt(Operation op)
    {
        var activity = StartLinked("longhaul.attempt " + op.Kind, ActivityKind.Consumer, op);
        if (activity is null) return null;
        activity.SetTag("longhaul.operation.kind", op.Kind);
        activity.SetTag("longhaul.operation.attempt", op.Attempt);
        activity.SetTag("longhaul.tenant", op.Tenant);
        return activity;
    }

    /// <summary>
    /// Starts the span of a remote worker's claim of <paramref name="op"/>: a new trace, linked to the trace that started
    /// the operation, the parent of the attempt's span (<see cref="StartRemoteAttempt"/>) and of the worker's own spans.
    /// The caller's current activity (the claim request's) stays current.
    /// </summary>
    public static Activity? StartClaim(Operation op)
    {
        var current = Activity.Current;
        var activity = StartLinked("longhaul.worker.claim", ActivityKind.Server, op);
        Activity.Current = current;
        if (activity is null) return null;
        activity.SetTag("longhaul.operation.kind", op.Kind);
        activity.SetTag("longhaul.operation.attempt", op.Attempt);
        activity.SetTag("longhaul.tenant", op.Tenant);
        return activity;
    }

    /// <summary>
    /// Starts, back-dated to <paramref name="startedAt"/> (the claim), the span of a remote attempt that is ending on this
    /// node: <c>longhaul.attempt {kind}</c> with the tags of <see cref="StartAttempt"/>, linked to the trace that started
    /// the operation, the child of its claim span when <paramref name="claim"/> is known (a new trace otherwise). The
    /// caller's current activity stays current.
    /// </summary>
    public static Activity? StartRemoteAttempt(Operation op, ActivityContext? claim, DateTimeOffset startedAt)
    {
        if (!Source.HasListeners()) return null;
        var current = Activity.Current;
        ActivityLink[]? links = op.TraceParent is { } parent && ActivityContext.TryParse(parent, null, out var context) ? [new ActivityLink(context)] : null;
        Activity.Current = null;
        var activity = Source.StartActivity("longhaul.attempt " + op.Kind, ActivityKind.Consumer, claim ?? default, tags: null, links: links, startTime: startedAt);
        Activity.Current = current;
        if (activity is null) return null;
        activity.SetTag("longhaul.operation.id", op.Id);
        activity.SetTag("longhaul.operation.kind", op.Kind);
        activity.SetTag("longhaul.operation.attempt", op.Attempt);
        activity.SetTag("longhaul.tenant", op.Tenant);
        activity.SetTag("longhaul.worker.remote", true);
        return activity;
    }

    /// <summary>Starts the span of one webhook delivery attempt: a new trace, linked to the trace that started the operation.</summary>
    public static Activity? StartDelivery(string deliveryId, Operation op)
    {
        var activity = StartLinked("longhaul.webhook.deliver", ActivityKind.Producer, op);
        activity?.SetTag("longhaul.webhook.delivery_id", deliveryId);
        return activity;
    }

    private static Activity? StartLinked(string name, ActivityKind kind, Operation op)
    {
        if (!Source.HasListeners()) return null;
        ActivityLink[]? links = op.TraceParent is { } parent && ActivityContext.TryParse(parent, null, out var context) ? [new ActivityLink(context)] : null;
        // A trace of its own (it may run hours after the request, on another node): linked, not parented.
        Activity.Current = null;
        var activity = Source.StartActivity(name, kind, default(ActivityContext), tags: null, links: links);
        activity?.SetTag("longhaul.operation.id", op.Id);
        return activity;
    }

    /// <summary>Ends <paramref name="activity"/> with the attempt's outcome; an error status for failures.</summary>
    public static void EndAttempt(Activity? activity, string outcome, string? errorCode)
    {
        if (activity is null) return;
        activity.SetTag("longhaul.attempt.outcome", outcome);
        if (errorCode is not null)
        {
            activity.SetTag("error.type", errorCode);
            if (outcome == "failed") activity.SetStatus(ActivityStatusCode.Error, errorCode);
        }
        // Stop, not Dispose: a back-dated remote attempt's span is not the current activity, whose parent must stay current.
        var current = Activity.Current;
        activity.Stop();
        if (!ReferenceEquals(current, activity)) Activity.Current = current;
    }

    /// <summary>Adds a span event (<c>checkpoint</c>, <c>progress</c>, <c>output</c>) to the current attempt's span, if it is recorded.</summary>
    public static void Event(string name)
    {
        if (Activity.Current is { Source.Name: SourceName, IsAllDataRequested: true } current) current.AddEvent(new ActivityEvent(name));
    }
}
