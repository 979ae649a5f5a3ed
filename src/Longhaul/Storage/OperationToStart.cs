using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>What the API hands the store to create an operation. Timestamps come from the store's clock.</summary>
/// <param name="Id">The new operation's id; must not be stored yet.</param>
/// <param name="Tenant">The tenant it belongs to.</param>
/// <param name="Kind">Which handler runs it.</param>
/// <param name="Input">The handler's input, stored verbatim.</param>
/// <param name="Metadata">The client's metadata, stored verbatim.</param>
/// <param name="CallbackUrl">Where to send the final state, when set.</param>
/// <param name="Priority">Higher is claimed first.</param>
/// <param name="MaxAttempts">Attempts before it fails.</param>
/// <param name="TimeoutSeconds">The overall deadline from now (store clock), when set.</param>
/// <param name="TraceParent">The W3C <c>traceparent</c> of the trace that started it, when one was recorded; each attempt's trace links to it.</param>
/// <param name="StartAfter">Not claimed before this time (<c>options.start_after</c>); null: at once.</param>
/// <param name="StartBy">Ends as <c>start_deadline_passed</c> if no attempt started by this time (<c>options.start_by</c>).</param>
/// <param name="ConcurrencyKey">At most <see cref="ConcurrencyLimit"/> operations with this key run at once, across nodes.</param>
/// <param name="ConcurrencyLimit">The limit of <see cref="ConcurrencyKey"/>; null with a key means 1.</param>
/// <param name="DefaultWeight">The tenant's fair-share weight when it has no stored override (<c>Longhaul:Tenants:Defaults:Weight</c>).</param>
public sealed record OperationToStart(
    string Id, string Tenant, string Kind, JsonElement Input, JsonElement? Metadata, string? CallbackUrl,
    int Priority, int MaxAttempts, double? TimeoutSeconds, string? TraceParent = null,
    DateTimeOffset? StartAfter = null, DateTimeOffset? StartBy = null, string? ConcurrencyKey = null, int? ConcurrencyLimit = null,
    int DefaultWeight = 1);
