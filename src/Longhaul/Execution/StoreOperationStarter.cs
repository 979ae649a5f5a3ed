using System.Security.Cryptography;
using System.Text.Json;
using Longhaul.Input;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Longhaul.Webhooks;

namespace Longhaul.Execution;

/// <summary>
/// <see cref="IOperationStarter"/> on the registered store. The fingerprint of an idempotent start is the SHA-256 of
/// <c>{"kind":…,"input":…,"metadata":…,"options":{"max_attempts":…,"timeout_seconds":…,"priority":…, scheduling options when set},"callback_url":…}</c> as given
/// (before defaults), so a repeat with the same values replays and any other value is a reuse of the key. It is not
/// the HTTP API's fingerprint (the request body's bytes): one key used both ways counts as two requests.
/// </summary>
internal sealed class StoreOperationStarter(IOperationStore store, OperationStartRules rules, CallbackUrlRules callbacks, LonghaulMetrics metrics, Tenancy.ITenantLimits limits) : IOperationStarter
{
    /// <summary>The store it starts on (Longhaul.Postgres starts in a caller's transaction on it).</summary>
    internal IOperationStore Store => store;

    /// <inheritdoc/>
    public async Task<OperationStartResult> StartAsync(string kind, object? input, OperationStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        var p = await PrepareAsync(kind, input, options, cancellationToken).ConfigureAwait(false);
        var result = Finish(await store.StartAsync(p, cancellationToken).ConfigureAwait(false));
        if (!result.Replayed) metrics.Created(kind);
        return result;
    }

    /// <inheritdoc/>
    public Task<Operation?> GetAsync(string id, string? tenant = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return store.GetAsync(new GetParams(tenant ?? OperationStartOptions.DefaultTenant, id), cancellationToken);
    }

    /// <summary>
    /// Checks a start and resolves its defaults; throws <see cref="OperationValidationException"/> with every error. A
    /// callback URL is checked as the API checks <c>callback_url</c> (its host is resolved).
    /// </summary>
    internal async Task<StartParams> PrepareAsync(string kind, object? input, OperationStartOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        options ??= new OperationStartOptions();
        var errors = new Dictionary<string, string[]>();
        var inputElement = ToElement(input) is { ValueKind: not JsonValueKind.Null } given ? given : LonghaulJsonDefaults.EmptyObject;
        JsonElement? metadata = ToElement(options.Metadata) is { ValueKind: not JsonValueKind.Null } m ? m : null;
        if (metadata is { ValueKind: not JsonValueKind.Object }) errors["metadata"] = ["must be an object"];
        if (string.IsNullOrEmpty(options.Tenant)) errors["tenant"] = ["is required"];
        if (options.IdempotencyKey is { } key && !OperationStartRules.IsValidIdempotencyKey(key))
            errors["idempotency_key"] = ["must be 1 to 255 printable ASCII characters"];
        rules.CheckKindAndInput(kind, inputElement, errors);
        rules.CheckOptions(options.MaxAttempts, options.TimeoutSeconds, options.Priority, errors);
        rules.CheckScheduling(options.StartAfter, options.StartBy, options.ConcurrencyKey, options.ConcurrencyLimit, errors);
        if (options.CallbackUrl is { } callback && await callbacks.CheckAsync(callback, cancellationToken).ConfigureAwait(false) is { } refusal)
            errors["callback_url"] = [refusal];
        if (errors.Count > 0) throw new OperationValidationException(errors);

        var scheduling = new Contracts.OperationOptions
        {
            StartAfter = options.StartAfter, StartBy = options.StartBy, ConcurrencyKey = options.ConcurrencyKey, ConcurrencyLimit = options.ConcurrencyLimit,
        };
        var operation = rules.Resolve(options.Tenant, kind, inputElement, metadata, options.MaxAttempts, options.TimeoutSeconds, options.Priority, options.CallbackUrl, scheduling);
        var claim = options.IdempotencyKey is { } k ? rules.Claim(k, Fingerprint(kind, inputElement, metadata, options), null) : null;
        // The event limit is the operation's wherever it starts; the admission limits (rate, pending) are the HTTP API's.
        var tenantLimits = await limits.GetAsync(options.Tenant, cancellationToken).ConfigureAwait(false);
        return new StartParams(operation, claim) { MaxEvents = tenantLimits.MaxEventsPerOperation };
    }

    /// <summary>The store's answer as the starter's: the operation, or the exception for a key that cannot be used.</summary>
    internal static OperationStartResult Finish(StartResult result) => result.Outcome switch
    {
        StartOutcome.Started => new OperationStartResult(result.Operation!, false),
        StartOutcome.Replayed => new OperationStartResult(result.Operation!, true),
        StartOutcome.KeyReused => throw new IdempotencyKeyReusedException("This idempotency key was already used with a different start."),
        // The in-process starter sets no MaxPending (admission limits are the HTTP API's), so the store never answers this to it.
        StartOutcome.PendingLimitReached => throw new InvalidOperationException("The tenant's pending-operation limit is reached."),
        _ => throw new IdempotencyKeyInFlightException("A request with this idempotency key is still being processed; retry later."),
    };

    private static JsonElement? ToElement(object? value) => value switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.Undefined } => null,
        JsonElement element => element.Clone(),
        JsonDocument document => document.RootElement.Clone(),
        _ => JsonSerializer.SerializeToElement(value, value.GetType(), TypedInputJson.Options),
    };

    private static string Fingerprint(string kind, JsonElement input, JsonElement? metadata, OperationStartOptions options)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", kind);
            writer.WritePropertyName("input");
            input.WriteTo(writer);
            writer.WritePropertyName("metadata");
            if (metadata is { } m) m.WriteTo(writer);
            else writer.WriteNullValue();
            writer.WriteStartObject("options");
            if (options.MaxAttempts is { } a) writer.WriteNumber("max_attempts", a);
            else writer.WriteNull("max_attempts");
            if (options.TimeoutSeconds is { } t) writer.WriteNumber("timeout_seconds", t);
            else writer.WriteNull("timeout_seconds");
            if (options.Priority is { } p) writer.WriteNumber("priority", p);
            else writer.WriteNull("priority");
            // The scheduling options only when set, so the fingerprints of starts without them stay what they were.
            if (options.StartAfter is { } after) writer.WriteString("start_after", after);
            if (options.StartBy is { } by) writer.WriteString("start_by", by);
            if (options.ConcurrencyKey is { } ck) writer.WriteString("concurrency_key", ck);
            if (options.ConcurrencyLimit is { } cl) writer.WriteNumber("concurrency_limit", cl);
            writer.WriteEndObject();
            // Only when set, so the fingerprints of starts without one stay what they were.
            if (options.CallbackUrl is { } callback) writer.WriteString("callback_url", callback);
            writer.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }
}
