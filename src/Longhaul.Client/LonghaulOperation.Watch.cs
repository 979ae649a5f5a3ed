using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Client;

public sealed partial class LonghaulOperation<TResult>
{
    /// <summary>Follows the operation's events with outputs as JSON. See <see cref="WatchAsync{TOutput}"/>.</summary>
    public IAsyncEnumerable<OperationEvent> WatchAsync(long? afterEventId = null, CancellationToken cancellationToken = default)
        => WatchAsync<JsonElement>(afterEventId, cancellationToken);

    /// <summary>
    /// Follows the operation's events until it finishes: an <see cref="OperationSnapshotEvent"/> first (unless
    /// <paramref name="afterEventId"/> is given, which replays every event after it), then
    /// <see cref="OperationStatusEvent"/>, <see cref="OperationProgressEvent"/>,
    /// <see cref="OperationOutputEvent{TOutput}"/> with each chunk read as <typeparamref name="TOutput"/>, and last
    /// <see cref="OperationDoneEvent"/>. A dropped connection or a server restart is survived by reconnecting with
    /// <c>Last-Event-ID</c>: each event is yielded exactly once. <see cref="Resource"/> follows the events.
    /// </summary>
    public async IAsyncEnumerable<OperationEvent> WatchAsync<TOutput>(long? afterEventId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var raw in _client.StreamEventsAsync(Id, afterEventId, cancellationToken).ConfigureAwait(false))
        {
            if (ToEvent<TOutput>(raw) is not { } e) continue;
            Apply(e);
            yield return e;
        }
    }

    private OperationEvent? ToEvent<TOutput>(ServerSentEvent raw)
    {
        var id = raw.Id ?? 0;
        switch (raw.Type)
        {
            case EventTypes.Snapshot:
                return new OperationSnapshotEvent(id, ReadResource(raw.Data));
            case EventTypes.Done:
                return new OperationDoneEvent(id, ReadResource(raw.Data));
            case EventTypes.Output:
                using (var output = JsonDocument.Parse(raw.Data))
                {
                    return new OperationOutputEvent<TOutput>(id, _client.Deserialize<TOutput>(output.RootElement)!);
                }
            case EventTypes.Progress:
                using (var progress = JsonDocument.Parse(raw.Data))
                {
                    var root = progress.RootElement;
                    var info = root.GetProperty("progress").Deserialize(LonghaulJson.Default.ProgressInfo)!;
                    return new OperationProgressEvent(id, info, Timestamp(root, "estimated_completion"));
                }
            case EventTypes.Status:
                using (var status = JsonDocument.Parse(raw.Data))
                {
                    var root = status.RootElement;
                    if (!OperationStatusNames.TryParse(root.GetProperty("status").GetString(), out var value)) return null;
                    return new OperationStatusEvent(
                        id,
                        value,
                        root.TryGetProperty("attempt", out var attempt) ? attempt.GetInt32() : Resource.Attempt,
                        root.TryGetProperty("reason", out var reason) ? reason.GetString() : null,
                        root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? error.Deserialize(LonghaulJson.Default.OperationError) : null,
                        root.TryGetProperty("cancel_requested", out var cancel) ? cancel.GetBoolean() : null,
                        Timestamp(root, "retry_at"));
                }
            default:
                return null; // A type this client does not know (a newer server): skipped.
        }
    }

    private void Apply(OperationEvent e)
    {
        Resource = e switch
        {
            OperationSnapshotEvent s => s.Operation,
            OperationDoneEvent d => d.Operation,
            OperationStatusEvent s => Resource with
            {
                Status = s.Status,
                Done = s.Status.IsTerminal(),
                Attempt = s.Attempt,
                CancelRequested = s.CancelRequested ?? Resource.CancelRequested,
                Error = s.Error ?? Resource.Error,
            },
            OperationProgressEvent p => Resource with { Progress = p.Progress, EstimatedCompletion = p.EstimatedCompletion },
            _ => Resource,
        };
    }

    private static OperationResource ReadResource(string data) => JsonSerializer.Deserialize(data, LonghaulJson.Default.OperationResource)!;

    private static DateTimeOffset? Timestamp(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;
}
