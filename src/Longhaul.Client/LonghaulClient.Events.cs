using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Longhaul.Contracts;

namespace Longhaul.Client;

public sealed partial class LonghaulClient
{
    /// <summary>
    /// Streams the operation's events, after <paramref name="afterEventId"/> when given (else from a <c>snapshot</c>),
    /// until the <c>done</c> event. A dropped connection or a server restart is survived: the stream is opened again
    /// with <c>Last-Event-ID</c>, so every event is yielded exactly once, in order. It gives up (with an
    /// <see cref="IOException"/>) after <see cref="LonghaulClientOptions.MaxRetries"/> reconnects in a row without a new event.
    /// </summary>
    public async IAsyncEnumerable<ServerSentEvent> StreamEventsAsync(string id, long? afterEventId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var last = afterEventId;
        var path = $"{OperationPath(id)}/events";
        for (var drops = 0; ; drops++)
        {
            if (drops > Options.MaxRetries)
                throw new IOException($"The event stream of {id} ended {drops} times in a row without a new event.");
            // The first reconnect is at once (a dropped connection is usually just that); repeated ones back off.
            if (drops > 1) await _delays.DelayAsync(_delays.Backoff(drops - 2), cancellationToken).ConfigureAwait(false);
            var after = last;
            HttpRequestMessage Request()
            {
                var message = new HttpRequestMessage(HttpMethod.Get, path);
                message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                if (after is { } position) message.Headers.Add("Last-Event-ID", position.ToString(CultureInfo.InvariantCulture));
                return message;
            }
            using var response = await SendAsync(Request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            // 204: the operation is done and nothing follows the position.
            if (response.StatusCode == HttpStatusCode.NoContent) yield break;
            using var reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            while (await ReadOrNullAsync(reader, cancellationToken).ConfigureAwait(false) is { } e)
            {
                if (e.Id is { } eventId)
                {
                    if (last is { } seen && eventId <= seen) continue;
                    last = eventId;
                }
                drops = 0;
                yield return e;
                if (e.Type == EventTypes.Done) yield break;
            }
        }
    }

    /// <summary>The next event, or null when the stream ended or broke (the caller reconnects either way).</summary>
    private static async Task<ServerSentEvent?> ReadOrNullAsync(ServerSentEventReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
