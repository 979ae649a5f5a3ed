using System.Net.Http.Json;
using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Client;

public sealed partial class LonghaulClient
{
    /// <summary>
    /// Starts an operation of <paramref name="kind"/> with <paramref name="input"/> (serialized with
    /// <see cref="LonghaulClientOptions.SerializerOptions"/>) and returns its handle, whose result reads as
    /// <typeparamref name="TResult"/>. One <c>Idempotency-Key</c> (the given one or a new one) goes with every retry of
    /// this call, so a retried start never creates a second operation.
    /// </summary>
    public Task<LonghaulOperation<TResult>> StartAsync<TInput, TResult>(string kind, TInput input, StartOperationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var request = new StartOperationRequest
        {
            Kind = kind,
            Input = JsonSerializer.SerializeToElement(input, Options.SerializerOptions),
            Metadata = options?.Metadata,
            CallbackUrl = options?.CallbackUrl,
            Options = options is { TimeoutSeconds: null, MaxAttempts: null, Priority: null } or null ? null
                : new OperationOptions { TimeoutSeconds = options.TimeoutSeconds, MaxAttempts = options.MaxAttempts, Priority = options.Priority },
        };
        return StartAsync<TResult>(request, options?.IdempotencyKey, cancellationToken);
    }

    /// <summary>Starts an operation from a wire request; the handle's result stays JSON. See <see cref="StartAsync{TResult}"/>.</summary>
    public Task<LonghaulOperation<JsonElement>> StartAsync(StartOperationRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
        => StartAsync<JsonElement>(request, idempotencyKey, cancellationToken);

    /// <summary>
    /// Starts an operation from a wire request and returns its handle. With no <paramref name="idempotencyKey"/> the
    /// client makes one, sent with every retry of this call; with the same key again (a command run twice, say) the
    /// server returns the same operation.
    /// </summary>
    public async Task<LonghaulOperation<TResult>> StartAsync<TResult>(StartOperationRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = idempotencyKey ?? Guid.NewGuid().ToString("N");
        var path = $"{_api}/operations";
        using var response = await SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(request, LonghaulJson.Default.StartOperationRequest) };
            message.Headers.Add("Idempotency-Key", key);
            return message;
        }, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var operation = (await response.Content.ReadFromJsonAsync(LonghaulJson.Default.OperationResource, cancellationToken).ConfigureAwait(false))!;
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true", StringComparer.OrdinalIgnoreCase);
        return new LonghaulOperation<TResult>(this, operation, replayed);
    }

    /// <summary>A handle on an existing operation (rehydrated from its id), read once now; 404 <c>operation_not_found</c> when this tenant has none.</summary>
    public async Task<LonghaulOperation<TResult>> GetOperationAsync<TResult>(string id, CancellationToken cancellationToken = default)
        => new(this, await GetAsync(id, cancellationToken).ConfigureAwait(false), replayed: false);

    /// <summary>A handle on an existing operation whose result stays JSON. See <see cref="GetOperationAsync{TResult}"/>.</summary>
    public Task<LonghaulOperation<JsonElement>> GetOperationAsync(string id, CancellationToken cancellationToken = default)
        => GetOperationAsync<JsonElement>(id, cancellationToken);

    internal T? Deserialize<T>(JsonElement element)
        => typeof(T) == typeof(JsonElement) ? (T)(object)element.Clone() : element.Deserialize<T>(Options.SerializerOptions);

    internal RetryDelays Delays => _delays;
}
