using Microsoft.Extensions.Options;

namespace Longhaul.Webhooks;

/// <summary>Start-up validation of <c>Longhaul:Webhooks</c>; every message names the setting.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions o)
    {
        var errors = new List<string>();
        const string S = WebhookOptions.SectionName;
        if (o.MaxCallbackUrlLength is < 16 or > 65_536) errors.Add($"{S}:MaxCallbackUrlLength must be from 16 to 65536 (is {o.MaxCallbackUrlLength}).");
        Positive(o.ConnectTimeout, "ConnectTimeout");
        Positive(o.ResponseTimeout, "ResponseTimeout");
        Positive(o.RetryBaseDelay, "RetryBaseDelay");
        Positive(o.RetryWindow, "RetryWindow");
        Positive(o.PollInterval, "PollInterval");
        if (o.RetryMaxDelay < o.RetryBaseDelay) errors.Add($"{S}:RetryMaxDelay ({o.RetryMaxDelay}) must be at least RetryBaseDelay ({o.RetryBaseDelay}).");
        if (o.MaxRetryAfter < TimeSpan.Zero) errors.Add($"{S}:MaxRetryAfter must not be negative.");
        if (o.MaxResponseBytes is < 0 or > 1_048_576) errors.Add($"{S}:MaxResponseBytes must be from 0 to 1048576 (is {o.MaxResponseBytes}).");
        if (o.MaxConcurrentDeliveries < 1) errors.Add($"{S}:MaxConcurrentDeliveries must be at least 1 (is {o.MaxConcurrentDeliveries}).");
        if (o.MaxConcurrentPerDestination < 1) errors.Add($"{S}:MaxConcurrentPerDestination must be at least 1 (is {o.MaxConcurrentPerDestination}).");
        // A claim that runs out while its attempt is still waiting for an answer lets a second node send it too.
        if (o.LeaseDuration < o.ResponseTimeout + o.ConnectTimeout + TimeSpan.FromSeconds(5))
            errors.Add($"{S}:LeaseDuration ({o.LeaseDuration}) must be at least ConnectTimeout + ResponseTimeout + 5 seconds ({o.ConnectTimeout + o.ResponseTimeout + TimeSpan.FromSeconds(5)}).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        void Positive(TimeSpan value, string setting)
        {
            if (value <= TimeSpan.Zero) errors.Add($"{S}:{setting} must be above zero (is {value}).");
        }
    }
}
