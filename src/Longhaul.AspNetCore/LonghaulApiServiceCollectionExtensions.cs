using Longhaul.AspNetCore.Telemetry;
using Longhaul.AspNetCore.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>Registers Longhaul's HTTP API services.</summary>
public static class LonghaulApiServiceCollectionExtensions
{
    /// <summary>Adds the HTTP surface's services, bound to <c>Longhaul:Http</c>. Call <c>AddLonghaul</c> too.</summary>
    public static IServiceCollection AddLonghaulApi(this IServiceCollection services, IConfiguration? configuration = null, Action<LonghaulApiOptions>? configure = null)
    {
        var options = services.AddOptions<LonghaulApiOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(LonghaulApiOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<IValidateOptions<LonghaulApiOptions>, Validator>();
        options.ValidateOnStart();
        var uploads = services.AddOptions<Uploads.UploadOptions>();
        if (configuration is not null) uploads.Bind(configuration.GetSection(Uploads.UploadOptions.SectionName));
        services.AddSingleton<IValidateOptions<Uploads.UploadOptions>, UploadValidator>();
        uploads.ValidateOnStart();
        services.AddSingleton<TenantResolver>();
        services.TryAddSingleton<LonghaulApiMounts>();
        services.AddSingleton<RetryAfterPolicy>();
        services.AddSingleton<OperationWaiter>();
        services.AddSingleton<StartRequestParser>();
        services.AddLonghaulTelemetry(configuration);
        services.AddSingleton<PageTokens>();
        services.AddSingleton<KestrelRejectionProblems>();
        services.AddLonghaulWorkerProtocol(configuration);
        AddAdmission(services, configuration);
        return services;
    }

    private static void AddAdmission(IServiceCollection services, IConfiguration? configuration)
    {
        var authFailures = services.AddOptions<Admission.AuthFailureOptions>();
        if (configuration is not null) authFailures.Bind(configuration.GetSection(Admission.AuthFailureOptions.SectionName));
        services.AddSingleton<IValidateOptions<Admission.AuthFailureOptions>, AuthFailureValidator>();
        authFailures.ValidateOnStart();
        services.TryAddSingleton<Admission.AuthFailureLimiter>();
        services.TryAddSingleton<Admission.CreateRateLimiter>();
        services.TryAddSingleton<Admission.ConnectionLimiter>();
        services.TryAddSingleton<Uploads.ImportMetrics>();
    }

    private sealed class AuthFailureValidator : IValidateOptions<Admission.AuthFailureOptions>
    {
        public ValidateOptionsResult Validate(string? name, Admission.AuthFailureOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    private sealed class UploadValidator : IValidateOptions<Uploads.UploadOptions>
    {
        public ValidateOptionsResult Validate(string? name, Uploads.UploadOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    private sealed class Validator : IValidateOptions<LonghaulApiOptions>
    {
        public ValidateOptionsResult Validate(string? name, LonghaulApiOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
