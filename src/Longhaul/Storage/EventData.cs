using System.Buffers;
using OperationStatus = Longhaul.Contracts.OperationStatus;
using System.Text;
using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Builds the JSON <c>data</c> of stored events, the same for every store.</summary>
public static class EventData
{
    /// <summary>
    /// A <c>status</c> event's data: the status, the attempt, and when given whether a cancel was requested, the reason
    /// (<c>retry</c>, <c>handed_back</c>, <c>lease_expired</c>), when a retry runs and the error.
    /// </summary>
    public static string Status(OperationStatus status, long attempt, OperationError? error = null, string? reason = null, DateTimeOffset? retryAt = null, bool? cancelRequested = null)
        => Write(w =>
        {
            w.WriteString("status", status.ToWire());
            w.WriteNumber("attempt", attempt);
            if (cancelRequested is { } c) w.WriteBoolean("cancel_requested", c);
            if (reason is not null) w.WriteString("reason", reason);
            if (retryAt is { } r)
            {
                w.WritePropertyName("retry_at");
                JsonSerializer.Serialize(w, r, LonghaulJson.Default.DateTimeOffset);
            }
            if (error is not null)
            {
                w.WritePropertyName("error");
                JsonSerializer.Serialize(w, error, LonghaulJson.Default.OperationError);
            }
        });

    /// <summary>A <c>progress</c> event's data: the progress and the estimated completion (null when unknown).</summary>
    public static string Progress(ProgressInfo progress, DateTimeOffset? estimatedCompletion)
        => Write(w =>
        {
            w.WritePropertyName("progress");
            JsonSerializer.Serialize(w, progress, LonghaulJson.Default.ProgressInfo);
            w.WritePropertyName("estimated_completion");
            if (estimatedCompletion is { } e) JsonSerializer.Serialize(w, e, LonghaulJson.Default.DateTimeOffset);
            else w.WriteNullValue();
        });

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
