using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>
/// A client for the Longhaul HTTP API. <c>StartAsync</c> and <c>GetOperationAsync</c> give an operation handle
/// (<see cref="LonghaulOperation{TResult}"/>) that waits, follows the operation's events and cancels it; the other
/// methods are the plain calls. Every request is retried after a connection failure, 408, 429, 500, 502, 503 and 504,
/// waiting the server's <c>Retry-After</c> or an exponential backoff with jitter (<see cref="LonghaulClientOptions"/>).
/// </summary>
public sealed partial class LonghaulClient
{
    private readonly HttpClient _http;
    private readonly string? _apiKey;
    private readonly string _api;
    private readonly RetryDelays _delays;

    /// <summary>A client with default options; give it an <see cref="HttpClient"/> whose <c>BaseAddress</c> is the server.</summary>
    public LonghaulClient(HttpClient http, string? apiKey = null)
        : this(http, new LonghaulClientOptions { ApiKey = apiKey })
    {
    }

    /// <summary>A client with <paramref name="options"/> (validated here); <see cref="LonghaulClientOptions.BaseAddress"/>, when set, becomes the <paramref name="http"/> client's base address.</summary>
    public LonghaulClient(HttpClient http, LonghaulClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.BaseAddress is { } address && http.BaseAddress is null) http.BaseAddress = address;
        _http = http;
        Options = options;
        _apiKey = options.ApiKey;
        _api = options.ApiPath.Trim('/');
        _delays = new RetryDelays(options);
    }

    /// <summary>The options this client was made with.</summary>
    public LonghaulClientOptions Options { get; }

    /// <summary>Reads the operation <paramref name="id"/>; throws <see cref="LonghaulApiException"/> (404 <c>operation_not_found</c>) when this API key's tenant has none.</summary>
    public async Task<OperationResource> GetAsync(string id, CancellationToken cancellationToken = default)
        => (await GetWithRetryAfterAsync(id, cancellationToken).ConfigureAwait(false)).Operation;

    /// <summary>Long-polls until the operation is done or <paramref name="timeout"/> passes (the server caps it).</summary>
    public Task<OperationResource> WaitAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default)
        => SendForResourceAsync(() => new HttpRequestMessage(HttpMethod.Get,
            $"{OperationPath(id)}/wait?timeout={timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}"), cancellationToken);

    /// <summary>Waits until the operation is done (long-polls, or polls where the server has no <c>/wait</c>) and returns it.</summary>
    public async Task<OperationResource> WaitUntilDoneAsync(string id, CancellationToken cancellationToken = default)
    {
        var operation = await GetOperationAsync(id, cancellationToken).ConfigureAwait(false);
        await operation.WaitUntilDoneAsync(null, cancellationToken).ConfigureAwait(false);
        return operation.Resource;
    }

    /// <summary>Asks the operation to stop: the resource comes back <c>cancelled</c>, or with <c>cancel_requested</c> while a running handler is stopping; 409 <c>operation_terminal</c> when it already finished.</summary>
    public Task<OperationResource> CancelAsync(string id, CancellationToken cancellationToken = default)
        => SendForResourceAsync(() => new HttpRequestMessage(HttpMethod.Post, $"{OperationPath(id)}/cancel"), cancellationToken);

    /// <summary>
    /// Forgets a finished operation with its events and files; 409 <c>operation_not_terminal</c> while it is not done,
    /// 404 <c>not_found</c> when there is no such operation. When a try got no answer (or a transient one) and the retry
    /// finds the operation gone, the earlier try deleted it: that counts as done, not as 404.
    /// </summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, OperationPath(id)), HttpCompletionOption.ResponseContentRead, cancellationToken, goneAfterRetryIsDone: true).ConfigureAwait(false);
    }

    /// <summary>One page of this tenant's operations, newest first, optionally filtered; pass <see cref="OperationList.NextPageToken"/> with the same filters for the next.</summary>
    public async Task<OperationList> ListAsync(OperationStatus? status = null, string? kind = null, int? pageSize = null, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (status is { } s) query.Add("status=" + s.ToWire());
        if (kind is not null) query.Add("kind=" + Uri.EscapeDataString(kind));
        if (pageSize is { } n) query.Add("page_size=" + n.ToString(CultureInfo.InvariantCulture));
        if (pageToken is not null) query.Add("page_token=" + Uri.EscapeDataString(pageToken));
        var path = $"{_api}/operations" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(LonghaulJson.Default.OperationList, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Reads the operation and the <c>Retry-After</c> the server suggests before the next read (null when done or not sent).</summary>
    internal async Task<(OperationResource Operation, TimeSpan? RetryAfter)> GetWithRetryAfterAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, OperationPath(id)), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var operation = (await response.Content.ReadFromJsonAsync(LonghaulJson.Default.OperationResource, cancellationToken).ConfigureAwait(false))!;
        return (operation, _delays.RetryAfter(response));
    }

    /// <summary>Cancels and says how it went: cancelled, stopping, or already finished (409 <c>operation_terminal</c>).</summary>
    internal async Task<(CancelOutcome Outcome, OperationResource? Operation)> CancelWithOutcomeAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"{OperationPath(id)}/cancel"), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var operation = (await response.Content.ReadFromJsonAsync(LonghaulJson.Default.OperationResource, cancellationToken).ConfigureAwait(false))!;
            return (operation.Status == OperationStatus.Cancelled ? CancelOutcome.Cancelled : CancelOutcome.Stopping, operation);
        }
        catch (LonghaulApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict && ex.Problem?.Code == ProblemCodes.OperationTerminal)
        {
            return (CancelOutcome.AlreadyFinished, null);
        }
    }

    private string OperationPath(string id) => $"{_api}/operations/{Uri.EscapeDataString(id)}";
}
