using Longhaul.Egress;
using Microsoft.Extensions.Options;

namespace Longhaul.Webhooks;

/// <summary>
/// The creation-time check of a callback URL, for every way in (the <c>callback_url</c> field, the gateway's header):
/// a length cap, then the egress guard's URL check (absolute, http or https, no credentials, every address of the host
/// allowed). The destination is checked again at every delivery, at connect time.
/// </summary>
internal sealed class CallbackUrlRules(EgressGuard guard, IOptions<WebhookOptions> options)
{
    /// <summary>Why <paramref name="url"/> is refused (for a 422), else null.</summary>
    public async Task<string?> CheckAsync(string url, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxCallbackUrlLength;
        if (url.Length > max) return $"must not be longer than {max} characters";
        if (url.Length == 0) return "must not be empty";
        return await guard.CheckUrlAsync(url, cancellationToken).ConfigureAwait(false) is { } refusal
            ? $"is refused: {refusal}"
            : null;
    }
}
