using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Execution;

namespace Longhaul;

/// <summary>What a handler gets for one attempt: the operation, its last checkpoint, and ways to report.</summary>
public sealed class OperationContext
{
    private readonly RunningOperation _run;

    internal OperationContext(RunningOperation run) => _run = run;

    public string OperationId => _run.Operation.Id;

    public string Tenant => _run.Operation.Tenant;

    public string Kind => _run.Operation.Kind;

    /// <summary>This attempt's number, starting at 1.</summary>
    public int Attempt => _run.Operation.Attempt;

    public int MaxAttempts => _run.Operation.MaxAttempts;

    public JsonElement Input => _run.Operation.Input;

    public JsonElement? Metadata => _run.Operation.Metadata;

    /// <summary>The operation's <c>options.timeout_seconds</c>; null without one.</summary>
    public double? TimeoutSeconds => _run.Operation.TimeoutSeconds;

    /// <summary>When the operation's deadline (<c>options.timeout_seconds</c>) runs out; null without one.</summary>
    public DateTimeOffset? DeadlineAt => _run.Operation.DeadlineAt;

    /// <summary>The last checkpoint saved by this or an earlier attempt; null when none.</summary>
    public JsonElement? Checkpoint => _run.Checkpoint;

    public T? GetInput<T>() => Input.Deserialize<T>(LonghaulJsonDefaults.Options);

    public T? GetCheckpoint<T>() => Checkpoint is { } c ? c.Deserialize<T>(LonghaulJsonDefaults.Options) : default;

    /// <summary>Records progress (an event and the resource's <c>progress</c>); throws <see cref="LeaseLostException"/> when fenced off.</summary>
    public Task ReportProgressAsync(ProgressInfo progress, CancellationToken cancellationToken = default)
        => _run.RecordAsync(progress, checkpoint: null, cancellationToken);

    /// <summary>Durably saves a checkpoint, optionally with progress in the same write.</summary>
    public Task SaveCheckpointAsync<T>(T checkpoint, ProgressInfo? progress = null, CancellationToken cancellationToken = default)
        => _run.RecordAsync(progress, JsonSerializer.SerializeToElement(checkpoint, LonghaulJsonDefaults.Options), cancellationToken);

    /// <summary>Appends an <c>output</c> event (for example streamed tokens) to the operation's event log.</summary>
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
}
