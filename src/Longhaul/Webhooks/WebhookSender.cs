using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Egress;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.Extensions.Options;

namespace Longhaul.Webhooks;

/// <summary>
/// Makes one attempt of a claimed delivery: the operation resource as the API shows it, signed with the tenant's
/// secrets, POSTed through the egress guard (so the destination is checked again at connect time, and no redirect is
/// followed); at most <see cref="WebhookOptions.MaxResponseBytes"/> of the answer are read. Returns the attempt's record,
/// never throws for the receiver's behaviour.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    private readonly IOperationStore _store;
    private readonly WebhookSecrets _secrets;
    private readonly TimeProvider _time;
    private readonly WebhookOptions _options;
    private readonly HttpClient _client;

    public WebhookSender(IOperationStore store, WebhookSecrets secrets, EgressGuard guard, TimeProvider time, IOptions<WebhookOptions> options)
    {
        _store = store;
        _secrets = secrets;
        _time = time;
        _options = options.Value;
        var handler = guard.CreateHandler(_options.ConnectTimeout);
        handler.MaxConnectionsPerServer = _options.MaxConcurrentPerDestination;
        // The response timeout is ours (a token per attempt), so the client's own is off.
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public void Dispose() => _client.Dispose();

    /// <summary>One attempt; <paramref name="stopping"/> aborts it (the caller then defers the delivery instead of recording).</summary>
    public async Task<DeliveryAttemptParams?> SendAsync(WebhookDelivery delivery, CancellationToken stopping)
    {
        var op = await _store.GetAsync(new GetParams(delivery.Tenant, delivery.OperationId), stopping).ConfigureAwait(false);
        if (op is null) return Record(delivery, _time.GetUtcNow(), 0, null, "the operation no longer exists", WebhookDeliveryStatus.Failed, TimeSpan.Zero);
        using var span = LonghaulTracing.StartDelivery(delivery.Id, op);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new WebhookPayload { Type = delivery.EventType, Timestamp = op.FinishedAt ?? op.UpdatedAt, Data = op.ToResource() },
            LonghaulJson.Default.WebhookPayload);
        var secrets = await _secrets.SigningSecretsAsync(delivery.Tenant, stopping).ConfigureAwait(false);
        var startedAt = _time.GetUtcNow();
        var timestamp = startedAt.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("webhook-id", delivery.Id);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSignature.Header(delivery.Id, timestamp, body, secrets));
        request.Headers.UserAgent.ParseAdd("Longhaul-Webhooks/1");

        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(_options.ResponseTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            await DrainAsync(response, linked.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            var ms = Elapsed(watch);
            if (code is >= 200 and < 300) return Record(delivery, startedAt, ms, code, null, WebhookDeliveryStatus.Delivered, TimeSpan.Zero);
            if (response.StatusCode == HttpStatusCode.Gone) return Record(delivery, startedAt, ms, code, null, WebhookDeliveryStatus.Gone, TimeSpan.Zero);
            var delay = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                && WebhookRetrySchedule.RetryAfter(response.Headers.RetryAfter, _time.GetUtcNow(), _options.MaxRetryAfter) is { } after
                ? after
                : Backoff(delivery);
            return Record(delivery, startedAt, ms, code, null, WebhookDeliveryStatus.Pending, delay);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return Record(delivery, startedAt, Elapsed(watch), null, $"no answer within {_options.ResponseTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", WebhookDeliveryStatus.Pending, Backoff(delivery));
        }
        catch (HttpRequestException ex)
        {
            var error = ex.InnerException is EgressRefusedException refused ? $"egress refused: {refused.Message}" : $"connection failed: {ex.Message}";
            return Record(delivery, startedAt, Elapsed(watch), null, error, WebhookDeliveryStatus.Pending, Backoff(delivery));
        }
    }

    private TimeSpan Backoff(WebhookDelivery delivery) => WebhookRetrySchedule.Backoff(_options, delivery.Attempts + 1, Random.Shared.NextDouble());

    private DeliveryAttemptParams Record(WebhookDelivery d, DateTimeOffset startedAt, int ms, int? code, string? error, WebhookDeliveryStatus outcome, TimeSpan delay)
        => new(d.Id, d.LeaseEpoch, startedAt, ms, code, error, outcome, delay, _options.RetryWindow);

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(watch.ElapsedMilliseconds, int.MaxValue);

    /// <summary>Reads at most the configured bytes of the answer, so a receiver cannot make the node read (or wait) for more.</summary>
    private async Task DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[Math.Min(_options.MaxResponseBytes, 4096) + 1];
            var left = _options.MaxResponseBytes;
            while (left > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                left -= read;
            }
        }
    }
}
