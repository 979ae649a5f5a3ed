using System.Text.Json;

namespace Longhaul.Client;

/// <summary>Settings of a <see cref="LonghaulClient"/>. Every default is stated; <see cref="Validate"/> checks them.</summary>
public sealed class LonghaulClientOptions
{
    /// <summary>The server's address, for clients made by <c>AddLonghaulClient</c>. Defaults to null (the <see cref="HttpClient"/>'s own <c>BaseAddress</c>).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer</c> on every request. Defaults to null (no header).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Where the API is mounted, relative to the base address: <c>v1</c> for <c>longhaul serve</c>, or the prefix an
    /// app gave <c>MapLonghaul</c> (for example <c>api/jobs</c>). Defaults to <c>v1</c>.
    /// </summary>
    public string ApiPath { get; set; } = "v1";

    /// <summary>How many times one request is retried after a connection failure, 408, 429, 500, 502, 503 or 504. Defaults to 8.</summary>
    public int MaxRetries { get; set; } = 8;

    /// <summary>The first retry's delay when the server sent no <c>Retry-After</c>; it doubles per retry (with jitter) up to <see cref="MaxRetryDelay"/>. Defaults to 1 second.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between retries, or between polls, when the server sent no <c>Retry-After</c>. Defaults to 30 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one long-poll (<c>/wait</c>) may last; the server caps it too. Defaults to 30 seconds.</summary>
    public TimeSpan LongPollTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait with long-polls (<c>/wait</c>); false polls the resource, paced by <c>Retry-After</c>. Defaults to true.</summary>
    public bool UseLongPolling { get; set; } = true;

    /// <summary>Serializes typed inputs and deserializes typed results and outputs. Defaults to web settings with <c>snake_case</c> names.</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The clock of every delay (retries, polls); tests pass a fake one. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApiPath)) throw new ArgumentException("LonghaulClientOptions.ApiPath must not be empty (the default is v1).", nameof(ApiPath));
        if (MaxRetries < 0) throw new ArgumentException("LonghaulClientOptions.MaxRetries must not be negative.", nameof(MaxRetries));
        if (InitialRetryDelay <= TimeSpan.Zero) throw new ArgumentException("LonghaulClientOptions.InitialRetryDelay must be positive.", nameof(InitialRetryDelay));
        if (MaxRetryDelay < InitialRetryDelay) throw new ArgumentException("LonghaulClientOptions.MaxRetryDelay must not be less than InitialRetryDelay.", nameof(MaxRetryDelay));
        if (LongPollTimeout <= TimeSpan.Zero) throw new ArgumentException("LonghaulClientOptions.LongPollTimeout must be positive.", nameof(LongPollTimeout));
        ArgumentNullException.ThrowIfNull(SerializerOptions);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
