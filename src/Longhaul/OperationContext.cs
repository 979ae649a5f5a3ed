using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Execution;
using Microsoft.Extensions.Logging;

namespace Longhaul;

/// <summary>What a handler gets for one attempt: the operation, its last checkpoint, and ways to report.</summary>
public sealed class OperationContext
{
    private readonly RunningOperation _run;

    internal OperationContext(RunningOperation run, ILogger logger)
    {
        _run = run;
        Logger = logger;
    }

    /// <summary>The operation's id (<c>op_…</c>), as clients see it.</summary>
    public string OperationId => _run.Operation.Id;

    /// <summary>The tenant (API key's owner) that started the operation.</summary>
    public string Tenant => _run.Operation.Tenant;

    /// <summary>The kind the operation was started with; the <see cref="IOperationHandler.Kind"/> of this handler.</summary>
    public string Kind => _run.Operation.Kind;

    /// <summary>This attempt's number, starting at 1.</summary>
    public int Attempt => _run.Operation.Attempt;

    /// <summary>How many attempts the operation may take in all (<c>options.max_attempts</c>); when this attempt is the last, a failure is final.</summary>
    public int MaxAttempts => _run.Operation.MaxAttempts;

    /// <summary>The <c>input</c> the client sent, already accepted by <see cref="IOperationHandler.ValidateInput"/>.</summary>
    public JsonElement Input => _run.Operation.Input;

    /// <summary>The client's <c>metadata</c>, stored and echoed as sent; null when the client sent none.</summary>
    public JsonElement? Metadata => _run.Operation.Metadata;

    /// <summary>The operation's <c>options.timeout_seconds</c>; null without one.</summary>
    public double? TimeoutSeconds => _run.Operation.TimeoutSeconds;

    /// <summary>When the operation's deadline (<c>options.timeout_seconds</c>) runs out; null without one.</summary>
    public DateTimeOffset? DeadlineAt => _run.Operation.DeadlineAt;

    /// <summary>The last checkpoint saved by this or an earlier attempt; null when none.</summary>
    public JsonElement? Checkpoint => _run.Checkpoint;

    /// <summary>
    /// Why the engine cancelled this attempt's token: <see cref="OperationStopReason.None"/> until it fires, then the first
    /// reason, which never changes. Set before the token fires, so a handler that sees the token cancelled can read it.
    /// </summary>
    public OperationStopReason StopReason => _run.Reason;

    /// <summary>
    /// A logger for the handler (category: the handler's type name) whose every entry carries a scope with
    /// <c>OperationId</c>, <c>Kind</c>, <c>Attempt</c> and <c>Tenant</c>. Never log secrets or whole inputs through it.
    /// </summary>
    public ILogger Logger { get; }

    /// <summary>Deserializes <see cref="Input"/> with Longhaul's JSON settings (snake_case names).</summary>
    public T? GetInput<T>() => Input.Deserialize<T>(LonghaulJsonDefaults.Options);

    /// <summary>Deserializes <see cref="Checkpoint"/> with Longhaul's JSON settings; <c>default</c> when there is none.</summary>
    public T? GetCheckpoint<T>() => Checkpoint is { } c ? c.Deserialize<T>(LonghaulJsonDefaults.Options) : default;

    /// <summary>
    /// Records progress (an event and the resource's <c>progress</c>); throws <see cref="LeaseLostException"/> when fenced
    /// off, or when the event would pass the tenant's <c>MaxEventsPerOperation</c> (the operation then failed with
    /// <c>event_limit_exceeded</c> and <see cref="StopReason"/> is <see cref="OperationStopReason.EventLimitExceeded"/>).
    /// </summary>
    public Task ReportProgressAsync(ProgressInfo progress, CancellationToken cancellationToken = default)
        => _run.RecordAsync(progress, checkpoint: null, cancellationToken);

    /// <summary>Durably saves a checkpoint, optionally with progress in the same write.</summary>
    public Task SaveCheckpointAsync<T>(T checkpoint, ProgressInfo? progress = null, CancellationToken cancellationToken = default)
        => _run.RecordAsync(progress, JsonSerializer.SerializeToElement(checkpoint, LonghaulJsonDefaults.Options), cancellationToken);

    /// <summary>
    /// Appends an <c>output</c> event (for example streamed tokens) to the operation's event log; throws
    /// <see cref="LeaseLostException"/> as <see cref="ReportProgressAsync"/> does.
    /// </summary>
    public Task WriteOutputAsync<T>(T chunk, CancellationToken cancellationToken = default)
        => _run.WriteOutputAsync(JsonSerializer.SerializeToElement(chunk, LonghaulJsonDefaults.Options), cancellationToken);

    /// <summary>
    /// Starts (or starts over) the operation file <paramref name="name"/>, stored in chunks through the store and served
    /// at <c>GET /v1/operations/{id}/files/{name}</c>; put its <see cref="OperationFileWriter.Url"/> in the result.
    /// </summary>
    public OperationFileWriter CreateFile(string name, string contentType)
    {
        if (!OperationFiles.IsValidName(name)) throw new ArgumentException($"'{name}' is not a valid file name: lower-case letters, digits, '.', '-' and '_'.", nameof(name));
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        return new OperationFileWriter(_run, name, contentType);
    }

    /// <summary>
    /// Continues the file <paramref name="name"/> that this or an earlier attempt of the operation was writing, keeping
    /// its first <paramref name="keepBytes"/> bytes (at most what the writer's <see cref="OperationFileWriter.StoredLength"/>
    /// was when the attempt saved the checkpoint that says so); the writer appends after them. Resuming a file costs no
    /// copy of the kept bytes through this node but the last, partly kept chunk.
    /// </summary>
    /// <returns>The writer, or null when the stored file no longer holds <paramref name="keepBytes"/> bytes (write it again with <see cref="CreateFile"/>).</returns>
    public Task<OperationFileWriter?> ResumeFileAsync(string name, string contentType, long keepBytes, CancellationToken cancellationToken = default)
    {
        if (!OperationFiles.IsValidName(name)) throw new ArgumentException($"'{name}' is not a valid file name: lower-case letters, digits, '.', '-' and '_'.", nameof(name));
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        ArgumentOutOfRangeException.ThrowIfNegative(keepBytes);
        return _run.ResumeFileAsync(name, contentType, keepBytes, cancellationToken);
    }
}
