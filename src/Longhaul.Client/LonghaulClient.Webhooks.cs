using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Longhaul.Contracts;

namespace Longhaul.Client;

public sealed partial class LonghaulClient
{
    /// <summary>
    /// The operation's completion webhook deliveries with every attempt (none without a callback URL or before the final
    /// state); 404 <c>operation_not_found</c> when this API key's tenant has no such operation.
    /// </summary>
    public Task<WebhookDeliveryList> ListDeliveriesAsync(string id, CancellationToken cancellationToken = default)
        => ReadAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{OperationPath(id)}/deliveries"), LonghaulJson.Default.WebhookDeliveryList, cancellationToken);

    /// <summary>
    /// Sends the delivery again with the same <c>webhook-id</c> and a new retry window; returns the deliveries as they
    /// stand. 404 <c>delivery_not_found</c> for a delivery id the operation does not have. Retried like any call after a
    /// connection failure or a transient answer, so a lost answer can mean one more delivery (receivers see the same
    /// <c>webhook-id</c>).
    /// </summary>
    public Task<WebhookDeliveryList> RedeliverAsync(string id, string deliveryId, CancellationToken cancellationToken = default)
        => ReadAsync(() => new HttpRequestMessage(HttpMethod.Post,
            $"{OperationPath(id)}/deliveries/{Uri.EscapeDataString(deliveryId)}/redeliver"), LonghaulJson.Default.WebhookDeliveryList, cancellationToken);

    /// <summary>This API key's tenant's webhook signing secrets (created on first use), the current one first.</summary>
    public Task<WebhookSecretList> GetWebhookSecretsAsync(CancellationToken cancellationToken = default)
        => ReadAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{_api}/webhooks/secret"), LonghaulJson.Default.WebhookSecretList, cancellationToken);

    /// <summary>
    /// A new current signing secret; the replaced ones keep signing for <paramref name="overlap"/> (whole seconds; zero
    /// ends them at once). Returns the secrets after the rotation, the new one first. Never retried by the client: a
    /// second rotation would end the overlap of the first.
    /// </summary>
    public Task<WebhookSecretList> RotateWebhookSecretAsync(TimeSpan overlap, CancellationToken cancellationToken = default)
        => ReadAsync(() => new HttpRequestMessage(HttpMethod.Post,
            $"{_api}/webhooks/secret/rotate?overlap_seconds={((long)overlap.TotalSeconds).ToString(CultureInfo.InvariantCulture)}"), LonghaulJson.Default.WebhookSecretList, cancellationToken, maxRetries: 0);

    private async Task<T> ReadAsync<T>(Func<HttpRequestMessage> create, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken, int? maxRetries = null)
    {
        using var response = await SendAsync(create, HttpCompletionOption.ResponseContentRead, cancellationToken, maxRetries).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken).ConfigureAwait(false))!;
    }
}
