using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Client;

public sealed partial class LonghaulClient
{
    private async Task<OperationResource> SendForResourceAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(create, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(LonghaulJson.Default.OperationResource, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Sends a request made by <paramref name="create"/> (a request message is sent only once, so each try makes a new
    /// one) and returns a success answer. A connection failure, a timeout and a transient status are retried up to
    /// <see cref="LonghaulClientOptions.MaxRetries"/> times (or <paramref name="maxRetries"/>), after the server's <c>Retry-After</c> or a backoff; any
    /// other error answer throws <see cref="LonghaulApiException"/>. With <paramref name="goneAfterRetryIsDone"/>, a 404
    /// answer to a retry is returned as it is (a delete whose earlier try was carried out but whose answer was lost). Without
    /// <paramref name="authorize"/> the API key is not sent (a signed link).
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, HttpCompletionOption completion, CancellationToken cancellationToken, int? maxRetries = null, bool goneAfterRetryIsDone = false, bool authorize = true)
    {
        for (var attempt = 0; ; attempt++)
        {
            var retry = attempt < (maxRetries ?? Options.MaxRetries);
            HttpResponseMessage response;
            using (var message = create())
            {
                if (_apiKey is not null && authorize) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
                try
                {
                    response = await _http.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (retry && !cancellationToken.IsCancellationRequested && ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    // No answer (refused, reset, or HttpClient.Timeout): the same request again after a backoff.
                    await _delays.DelayAsync(_delays.Backoff(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }
            if ((int)response.StatusCode < 400) return response;
            if (goneAfterRetryIsDone && attempt > 0 && response.StatusCode == System.Net.HttpStatusCode.NotFound) return response;
            if (retry && RetryDelays.IsTransient(response.StatusCode))
            {
                var delay = _delays.RetryAfter(response) ?? _delays.Backoff(attempt);
                response.Dispose();
                await _delays.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                continue;
            }
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<LonghaulApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            Problem? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync(LonghaulJson.Default.Problem, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or HttpRequestException or IOException)
            {
                // Not a problem document.
            }
            return new LonghaulApiException(response.StatusCode, problem);
        }
    }
}
