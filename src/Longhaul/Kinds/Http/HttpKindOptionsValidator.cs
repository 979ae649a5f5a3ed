using Microsoft.Extensions.Options;

namespace Longhaul.Kinds.Http;

/// <summary>Start-up validation of <c>Longhaul:Upstreams</c>; every message names the setting.</summary>
internal sealed class HttpKindOptionsValidator(IOptions<LonghaulEngineOptions> engine) : IValidateOptions<HttpKindOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpKindOptions options)
    {
        var errors = Validate(options, engine.Value.MaxTimeout);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Validate(HttpKindOptions options, TimeSpan maxTimeout)
    {
        var errors = new List<string>();
        foreach (var (name, u) in options.Upstreams)
        {
            var key = $"Longhaul:Upstreams:{name}";
            if (!HttpHeaderRules.IsToken(name) || name.Contains('.', StringComparison.Ordinal))
                errors.Add($"{key}: the upstream name must be letters, digits, '-' or '_'.");
            if (!Uri.TryCreate(u.BaseUrl, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
                errors.Add($"{key}:BaseUrl must be an absolute http or https URL (is '{u.BaseUrl}').");
            else if (baseUri.Query.Length > 0 || baseUri.Fragment.Length > 0 || baseUri.UserInfo.Length > 0)
                errors.Add($"{key}:BaseUrl must not contain a query, a fragment or credentials.");
            if (u.RequestTimeout <= TimeSpan.Zero || u.RequestTimeout >= maxTimeout)
                errors.Add($"{key}:RequestTimeout ({u.RequestTimeout}) must be positive and below Longhaul:MaxTimeout ({maxTimeout}).");
            if (u.EffectiveConnectTimeout <= TimeSpan.Zero || u.EffectiveConnectTimeout > u.RequestTimeout)
                errors.Add($"{key}:ConnectTimeout ({u.EffectiveConnectTimeout}) must be positive and not above {key}:RequestTimeout ({u.RequestTimeout}).");
            foreach (var (header, value) in u.Headers)
            {
                if (!HttpHeaderRules.IsToken(header) || HttpHeaderRules.Dropped.Contains(header))
                    errors.Add($"{key}:Headers:{header} is not a header name that can be injected.");
                if (!HttpHeaderRules.IsValidValue(value ?? ""))
                    errors.Add($"{key}:Headers:{header} must not contain line breaks.");
                foreach (var missing in EnvironmentReferences.Missing(value ?? ""))
                    errors.Add($"{key}:Headers:{header} references the environment variable {missing}, which is not set.");
            }
            foreach (var method in u.AllowedMethods)
            {
                if (!HttpHeaderRules.IsToken(method ?? ""))
                    errors.Add($"{key}:AllowedMethods: '{method}' is not an HTTP method.");
            }
            foreach (var prefix in u.AllowedPathPrefixes)
            {
                if (UpstreamPaths.PrefixProblem(prefix) is { } problem)
                    errors.Add($"{key}:AllowedPathPrefixes: '{prefix}' {problem}.");
            }
            if (u.MaxConcurrentCalls is < 1 or > 10_000)
                errors.Add($"{key}:MaxConcurrentCalls must be between 1 and 10000 (is {u.MaxConcurrentCalls}).");
            if (u.MaxResponseBytes is < 1 or > 256L * 1024 * 1024)
                errors.Add($"{key}:MaxResponseBytes must be between 1 and 268435456 (is {u.MaxResponseBytes}).");
            if (u.MaxInlineBytes is < 0 or > 16L * 1024 * 1024)
                errors.Add($"{key}:MaxInlineBytes must be between 0 and 16777216 (is {u.MaxInlineBytes}).");
            if (u.Retry.MaxRetries is < 0 or > 10)
                errors.Add($"{key}:Retry:MaxRetries must be between 0 and 10 (is {u.Retry.MaxRetries}).");
            if (u.Retry.BaseDelay < TimeSpan.Zero || (u.Retry.MaxDelay is { } maxDelay && maxDelay < u.Retry.BaseDelay))
                errors.Add($"{key}:Retry:BaseDelay must not be negative and not above {key}:Retry:MaxDelay.");
            if (u.EffectiveRetryMaxDelay >= u.RequestTimeout)
                errors.Add($"{key}:Retry:MaxDelay ({u.EffectiveRetryMaxDelay}) must be below {key}:RequestTimeout ({u.RequestTimeout}).");
        }
        return errors;
    }
}
