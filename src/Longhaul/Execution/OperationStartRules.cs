using System.Text.Json;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.Extensions.Options;

namespace Longhaul.Execution;

/// <summary>
/// The rules of a start, stated once for every way in (<c>POST /v1/operations</c> and <see cref="IOperationStarter"/>):
/// the kind is registered and its handler accepts the input, the options are within the engine's limits, and options
/// left unset take the kind's defaults (<see cref="KindSettingsCatalog"/>). Field errors use the JSON paths of the HTTP
/// request (<c>kind</c>, <c>input…</c>, <c>options.max_attempts</c>).
/// </summary>
internal sealed class OperationStartRules(OperationHandlerRegistry registry, KindSettingsCatalog kinds, IOptions<LonghaulEngineOptions> options, TimeProvider time,
    IOptions<Tenancy.TenantLimitsOptions>? tenantLimits = null)
{
    public const int MaxPriority = 100;

    public string TimeoutMessage => $"must be a number above 0 and at most {options.Value.MaxTimeout.TotalSeconds}";

    public string MaxAttemptsMessage => $"must be an integer from 1 to {options.Value.MaxAttemptsLimit}";

    public static string PriorityMessage => $"must be an integer from {-MaxPriority} to {MaxPriority}";

    public bool TimeoutAllowed(double seconds) => seconds > 0 && seconds <= options.Value.MaxTimeout.TotalSeconds;

    public bool MaxAttemptsAllowed(int attempts) => attempts >= 1 && attempts <= options.Value.MaxAttemptsLimit;

    public static bool PriorityAllowed(int priority) => priority is >= -MaxPriority and <= MaxPriority;

    /// <summary>1 to 255 printable ASCII characters: the <c>Idempotency-Key</c> header's rule, and the code's.</summary>
    public static bool IsValidIdempotencyKey(string? key) => key is { Length: >= 1 and <= 255 } && key.All(c => c is >= ' ' and <= '~');

    /// <summary>
    /// Adds an error for an unknown <paramref name="kind"/>, and the handler's errors for <paramref name="input"/>; a kind
    /// this process does not register may come as <paramref name="registered"/> (a remote kind registered at run time).
    /// </summary>
    public void CheckKindAndInput(string kind, JsonElement input, IDictionary<string, string[]> errors, IOperationHandler? registered = null)
    {
        if (!registry.TryGet(kind, out var handler) && (handler = registered!) is null)
        {
            errors["kind"] = [$"unknown kind '{Truncate(kind)}'; GET /v1/kinds lists the kinds this server runs"];
            return;
        }
        if (handler.ValidateInput(input) is { } inputErrors)
        {
            foreach (var (field, messages) in inputErrors) errors[field] = messages;
        }
    }

    /// <summary>Adds an error for each option out of range (the HTTP parser checks the JSON types first).</summary>
    public void CheckOptions(int? maxAttempts, double? timeoutSeconds, int? priority, IDictionary<string, string[]> errors)
    {
        if (timeoutSeconds is { } t && !TimeoutAllowed(t)) errors["options.timeout_seconds"] = [TimeoutMessage];
        if (maxAttempts is { } m && !MaxAttemptsAllowed(m)) errors["options.max_attempts"] = [MaxAttemptsMessage];
        if (priority is { } p && !PriorityAllowed(p)) errors["options.priority"] = [PriorityMessage];
    }

    /// <summary>The longest <c>options.concurrency_key</c>, in characters.</summary>
    public const int MaxConcurrencyKeyLength = 200;

    /// <summary>The highest <c>options.concurrency_limit</c>.</summary>
    public const int MaxConcurrencyLimit = 1000;

    /// <summary>
    /// Adds an error for each scheduling option out of range: <c>start_after</c> at most <c>MaxStartDelay</c> ahead,
    /// <c>start_by</c> in the future, after <c>start_after</c> and at most <c>MaxStartDelay</c> ahead, a key of 1 to
    /// <see cref="MaxConcurrencyKeyLength"/> printable characters, a limit from 1 to <see cref="MaxConcurrencyLimit"/> and only with a key.
    /// </summary>
    public void CheckScheduling(DateTimeOffset? startAfter, DateTimeOffset? startBy, string? concurrencyKey, int? concurrencyLimit, IDictionary<string, string[]> errors)
    {
        var now = time.GetUtcNow();
        var horizon = now + options.Value.MaxStartDelay;
        if (startAfter > horizon) errors["options.start_after"] = [$"must be at most {options.Value.MaxStartDelay.TotalSeconds} seconds ahead (Longhaul:MaxStartDelay)"];
        if (startBy is { } by)
        {
            if (by <= now) errors["options.start_by"] = ["must be in the future"];
            else if (startAfter is { } after && by <= after) errors["options.start_by"] = ["must be after options.start_after"];
            else if (by > horizon) errors["options.start_by"] = [$"must be at most {options.Value.MaxStartDelay.TotalSeconds} seconds ahead (Longhaul:MaxStartDelay)"];
        }
        if (concurrencyKey is not null && !IsValidConcurrencyKey(concurrencyKey))
            errors["options.concurrency_key"] = [$"must be 1 to {MaxConcurrencyKeyLength} characters, none of them control characters"];
        if (concurrencyLimit is { } limit)
        {
            if (limit is < 1 or > MaxConcurrencyLimit) errors["options.concurrency_limit"] = [$"must be an integer from 1 to {MaxConcurrencyLimit}"];
            else if (concurrencyKey is null) errors["options.concurrency_limit"] = ["needs options.concurrency_key"];
        }
    }

    /// <summary>1 to <see cref="MaxConcurrencyKeyLength"/> characters, no control characters.</summary>
    public static bool IsValidConcurrencyKey(string key) => key.Length is >= 1 and <= MaxConcurrencyKeyLength && !key.Any(char.IsControl);

    /// <summary>
    /// The operation to store: a new id, and the kind's defaults for the options left unset. A
    /// <paramref name="callbackUrl"/> must have passed <c>CallbackUrlRules</c> already.
    /// </summary>
    public OperationToStart Resolve(string tenant, string kind, JsonElement input, JsonElement? metadata, int? maxAttempts, double? timeoutSeconds, int? priority, string? callbackUrl = null,
        Contracts.OperationOptions? scheduling = null)
    {
        var settings = kinds.For(kind);
        return new OperationToStart(OperationIds.New(time), tenant, kind, input, metadata, callbackUrl, priority ?? 0,
            maxAttempts ?? settings.MaxAttempts, timeoutSeconds ?? settings.TimeoutSeconds, LonghaulTracing.CurrentTraceParent(),
            DefaultWeight: tenantLimits?.Value.Weight ?? 1)
        {
            StartAfter = scheduling?.StartAfter,
            StartBy = scheduling?.StartBy,
            ConcurrencyKey = scheduling?.ConcurrencyKey,
            ConcurrencyLimit = scheduling?.ConcurrencyKey is null ? null : scheduling.ConcurrencyLimit ?? 1,
        };
    }

    /// <summary>The store's claim on <paramref name="key"/> for a request fingerprinted by <paramref name="requestHash"/>.</summary>
    public IdempotencyClaim Claim(string key, string requestHash, TimeSpan? holdFor)
        => new(key, requestHash, options.Value.IdempotencyRetention, holdFor);

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
