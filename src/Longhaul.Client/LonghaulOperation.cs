using System.Net;
using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>
/// A handle on one operation (as Azure.Core's <c>Operation&lt;T&gt;</c> or Temporal's workflow handle): its last known
/// state, and the calls that refresh, wait for, follow, cancel or delete it. From <c>StartAsync</c>, or rehydrated
/// from an id with <see cref="LonghaulClient.GetOperationAsync{TResult}"/>. Not safe for concurrent use.
/// </summary>
/// <typeparam name="TResult">The type its result is read as (<see cref="System.Text.Json.JsonElement"/> to keep JSON).</typeparam>
public sealed partial class LonghaulOperation<TResult>
{
    private readonly LonghaulClient _client;
    private bool _valueRead;
    private TResult? _value;

    internal LonghaulOperation(LonghaulClient client, OperationResource resource, bool replayed)
    {
        _client = client;
        Resource = resource;
        WasReplayed = replayed;
    }

    /// <summary>The operation's id (<c>op_…</c>).</summary>
    public string Id => Resource.Id;

    /// <summary>The kind it runs.</summary>
    public string Kind => Resource.Kind;

    /// <summary>The resource as this handle last saw it (from the start, a read, a wait or an event).</summary>
    public OperationResource Resource { get; private set; }

    /// <summary>The last known status.</summary>
    public OperationStatus Status => Resource.Status;

    /// <summary>True once the operation is known to have finished (succeeded, failed or cancelled).</summary>
    public bool HasCompleted => Resource.Done;

    /// <summary>True once it is known to have succeeded, so <see cref="Value"/> returns its result.</summary>
    public bool HasValue => Resource.Status == OperationStatus.Succeeded;

    /// <summary>The last progress seen; null when none.</summary>
    public ProgressInfo? Progress => Resource.Progress;

    /// <summary>True when the start was answered with an operation an earlier start with the same <c>Idempotency-Key</c> created.</summary>
    public bool WasReplayed { get; }

    /// <summary>
    /// The result, read as <typeparamref name="TResult"/>. Throws <see cref="OperationFailedException"/> or
    /// <see cref="OperationCancelledException"/> (with the server's error code) when the operation ended without one,
    /// and <see cref="InvalidOperationException"/> while it is not known to have finished.
    /// </summary>
    public TResult Value
    {
        get
        {
            switch (Resource.Status)
            {
                case OperationStatus.Failed: throw new OperationFailedException(Resource);
                case OperationStatus.Cancelled: throw new OperationCancelledException(Resource);
                case OperationStatus.Succeeded: break;
                default: throw new InvalidOperationException($"Operation {Id} is {Resource.Status.ToWire()}: it has no result yet (wait for it first).");
            }
            if (!_valueRead)
            {
                _value = Resource.Result is { } result ? _client.Deserialize<TResult>(result) : default;
                _valueRead = true;
            }
            return _value!;
        }
    }

    /// <summary>Reads the operation again and returns it (also in <see cref="Resource"/>).</summary>
    public async Task<OperationResource> UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        Resource = await _client.GetAsync(Id, cancellationToken).ConfigureAwait(false);
        return Resource;
    }

    /// <summary>Waits until the operation finishes and returns its result (see <see cref="Value"/> for the exceptions).</summary>
    public Task<TResult> WaitForCompletionAsync(CancellationToken cancellationToken = default)
        => WaitForCompletionAsync(null, cancellationToken);

    /// <summary>
    /// Waits until the operation finishes and returns its result (see <see cref="Value"/> for the exceptions). Without
    /// <paramref name="progress"/> it long-polls <c>/wait</c> (or, where the server has none, polls the resource
    /// paced by <c>Retry-After</c>, else 1 s doubling to 30 s); with it, it follows the events and reports each progress.
    /// Connection failures and server restarts are retried.
    /// </summary>
    public async Task<TResult> WaitForCompletionAsync(IProgress<ProgressInfo>? progress, CancellationToken cancellationToken = default)
    {
        await WaitUntilDoneAsync(progress, cancellationToken).ConfigureAwait(false);
        return Value;
    }

    /// <summary>Asks the operation to stop and says whether it is cancelled, stopping, or had already finished.</summary>
    public async Task<CancelOutcome> CancelAsync(CancellationToken cancellationToken = default)
    {
        var (outcome, operation) = await _client.CancelWithOutcomeAsync(Id, cancellationToken).ConfigureAwait(false);
        if (operation is not null) Resource = operation;
        else await UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Forgets the finished operation with its events and files; <see cref="LonghaulApiException"/> 409 <c>operation_not_terminal</c> while it runs.</summary>
    public Task DeleteAsync(CancellationToken cancellationToken = default) => _client.DeleteAsync(Id, cancellationToken);

    internal async Task WaitUntilDoneAsync(IProgress<ProgressInfo>? progress, CancellationToken cancellationToken)
    {
        if (Resource.Done) return;
        if (progress is not null)
        {
            if (Resource.Progress is { } current) progress.Report(current);
            await foreach (var e in WatchAsync(null, cancellationToken).ConfigureAwait(false))
            {
                if (e is OperationProgressEvent p) progress.Report(p.Progress);
            }
            return;
        }
        var longPoll = _client.Options.UseLongPolling;
        for (var polls = 0; !Resource.Done;)
        {
            if (longPoll)
            {
                try
                {
                    Resource = await _client.WaitAsync(Id, _client.Options.LongPollTimeout, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (LonghaulApiException ex) when (ex.StatusCode == HttpStatusCode.MethodNotAllowed
                    || (ex.StatusCode == HttpStatusCode.NotFound && ex.Problem?.Code != ProblemCodes.OperationNotFound))
                {
                    // No /wait here (another server, a proxy that maps only some routes): poll instead.
                    longPoll = false;
                }
            }
            var (operation, retryAfter) = await _client.GetWithRetryAfterAsync(Id, cancellationToken).ConfigureAwait(false);
            Resource = operation;
            if (operation.Done) return;
            // The server's pace when it gives one; else 1 s, 2 s, 4 s … up to the cap.
            await _client.Delays.DelayAsync(retryAfter ?? _client.Delays.Ceiling(polls++), cancellationToken).ConfigureAwait(false);
        }
    }
}
