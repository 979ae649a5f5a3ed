namespace Longhaul;

/// <summary>
/// The engine's settings (workers, leases, heartbeats, retries, deadlines, retention), bound from the <c>Longhaul</c>
/// configuration section. The HTTP API's settings are <c>LonghaulApiOptions</c>.
/// </summary>
public sealed class LonghaulEngineOptions
{
    /// <summary>The configuration section these settings bind from, <c>Longhaul</c>.</summary>
    public const string SectionName = "Longhaul";

    /// <summary>The default of <see cref="ApiPath"/>, <c>/v1</c>: where <c>longhaul serve</c> mounts the API.</summary>
    public const string DefaultApiPath = "/v1";

    /// <summary>
    /// The path the HTTP API is mounted at (<c>app.MapLonghaul(prefix)</c>), which every node, worker-only ones included,
    /// needs for the links that handlers store in results (a file's <c>…/operations/{id}/files/{name}</c>). Starts with
    /// '/', no trailing '/'; <c>MapLonghaul</c> refuses a prefix that differs. Defaults to <c>/v1</c>.
    /// </summary>
    public string ApiPath { get; set; } = DefaultApiPath;

    /// <summary>Run workers in this process. Defaults to true.</summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>
    /// Create or upgrade the store's schema at start-up. Turn it off where a separate <c>longhaul migrate</c> step owns
    /// schema changes. Defaults to true.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// How many operations this process runs at once. Handlers are asynchronous, so a slot is a concurrent task, not a
    /// thread; lower it for handlers that burn CPU. Defaults to 128.
    /// </summary>
    public int WorkerSlots { get; set; } = 128;

    /// <summary>How long a claim stays valid without a heartbeat. Defaults to 30 seconds.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often running operations renew their leases. Defaults to 10 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the reaper looks for expired leases, deadlines and expired data. Defaults to 5 seconds.</summary>
    public TimeSpan ReaperInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often idle workers look for work when no wake-up arrives. Defaults to 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On shutdown, how long running handlers may finish before they are handed back. Defaults to 10 seconds.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long finished operations are kept. Defaults to 7 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long an Idempotency-Key is remembered. Defaults to 24 hours.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Attempts an operation gets when the client does not say. Defaults to 3.</summary>
    public int DefaultMaxAttempts { get; set; } = 3;

    /// <summary>Upper bound for <c>options.max_attempts</c>. Defaults to 100.</summary>
    public int MaxAttemptsLimit { get; set; } = 100;

    /// <summary>Upper bound for <c>options.timeout_seconds</c>. Defaults to 30 days.</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How far ahead <c>options.start_after</c> and <c>options.start_by</c> may be. Defaults to 30 days.
    /// </summary>
    public TimeSpan MaxStartDelay { get; set; } = TimeSpan.FromDays(30);

    /// <summary>First retry delay; doubles each attempt, with full jitter. Defaults to 1 second.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest retry delay. Defaults to 5 minutes.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The fraction of an operation's timeout (from its creation) after which a running attempt counts as approaching
    /// its deadline: logged once, counted on <c>longhaul.operation.deadline_approaching</c> and announced as an SSE
    /// <c>warning</c> event.
    /// Between 0 (exclusive) and 1 (1 turns the warning off). Defaults to 0.8.
    /// </summary>
    public double DeadlineWarningFraction { get; set; } = 0.8;

    /// <summary>
    /// Settings per kind, by kind name (case-sensitive), bound from <c>Longhaul:Kinds:{kind}</c>; each overrides what
    /// the kind's handler declares in <see cref="IOperationHandler.Defaults"/>. A name that is no registered kind fails
    /// start-up. Defaults to empty.
    /// </summary>
    public Dictionary<string, OperationKindOptions> Kinds { get; } = new(StringComparer.Ordinal);

    /// <summary>Returns the problems with these settings; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (WorkerSlots is < 1 or > 10_000) errors.Add($"Longhaul:WorkerSlots must be between 1 and 10000 (is {WorkerSlots}).");
        if (LeaseDuration < TimeSpan.FromSeconds(1)) errors.Add($"Longhaul:LeaseDuration must be at least 1 second (is {LeaseDuration}).");
        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval >= LeaseDuration)
            errors.Add($"Longhaul:HeartbeatInterval ({HeartbeatInterval}) must be positive and below Longhaul:LeaseDuration ({LeaseDuration}).");
        if (ReaperInterval <= TimeSpan.Zero) errors.Add("Longhaul:ReaperInterval must be positive.");
        if (PollInterval <= TimeSpan.Zero) errors.Add("Longhaul:PollInterval must be positive.");
        if (ShutdownGracePeriod < TimeSpan.Zero) errors.Add("Longhaul:ShutdownGracePeriod must not be negative.");
        if (Retention <= TimeSpan.Zero) errors.Add("Longhaul:Retention must be positive.");
        if (IdempotencyRetention <= TimeSpan.Zero) errors.Add("Longhaul:IdempotencyRetention must be positive.");
        if (MaxAttemptsLimit < 1) errors.Add("Longhaul:MaxAttemptsLimit must be at least 1.");
        if (DefaultMaxAttempts < 1 || DefaultMaxAttempts > MaxAttemptsLimit)
            errors.Add($"Longhaul:DefaultMaxAttempts must be between 1 and Longhaul:MaxAttemptsLimit ({MaxAttemptsLimit}).");
        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
            errors.Add("Longhaul:RetryBaseDelay must not be negative and not above Longhaul:RetryMaxDelay.");
        if (!IsApiPath(ApiPath))
            errors.Add($"Longhaul:ApiPath must start with '/', not end with '/', and hold only letters, digits and '/', '-', '_', '.', '~' (is '{ApiPath}').");
        if (MaxTimeout <= TimeSpan.Zero) errors.Add("Longhaul:MaxTimeout must be positive.");
        if (MaxStartDelay <= TimeSpan.Zero) errors.Add("Longhaul:MaxStartDelay must be positive.");
        if (!(DeadlineWarningFraction is > 0 and <= 1)) errors.Add($"Longhaul:DeadlineWarningFraction must be above 0 and at most 1 (is {DeadlineWarningFraction}).");
        foreach (var (kind, settings) in Kinds) settings?.Validate($"Longhaul:Kinds:{kind}:", this, errors);
        return errors;
    }

    /// <summary>True for a literal path prefix such as <c>/v1</c> or <c>/api/jobs</c>: no route parameters, query or trailing '/'.</summary>
    public static bool IsApiPath(string? path)
        => path is { Length: > 1 } && path[0] == '/' && path[^1] != '/' && !path.Contains("//", StringComparison.Ordinal)
           && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '~');

    /// <summary>The global caps (<see cref="OperationKindOptions.MaxConcurrency"/>) of the configured kinds; null when none has one.</summary>
    public IReadOnlyDictionary<string, int>? KindConcurrencyCaps()
    {
        var caps = Kinds.Where(k => k.Value?.MaxConcurrency is not null).ToDictionary(k => k.Key, k => k.Value!.MaxConcurrency!.Value, StringComparer.Ordinal);
        return caps.Count == 0 ? null : caps;
    }
}
