using Longhaul.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Longhaul.Import;

/// <summary>Registers the <c>import</c> kind.</summary>
public static class LonghaulImportExtensions
{
    /// <summary>
    /// Adds the built-in kind <c>import</c> with the targets of <c>Longhaul:Import</c> (from the builder's configuration)
    /// and of <paramref name="configure"/>, validated at start-up. Uploads come from <c>/v1/uploads</c> (the HTTP API).
    /// </summary>
    public static LonghaulBuilder AddImportKind(this LonghaulBuilder builder, Action<ImportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ImportOptions>();
        if (builder.Configuration is { } configuration) options.Bind(configuration.GetSection(ImportOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        builder.Services.AddSingleton<IValidateOptions<ImportOptions>, ImportOptionsValidator>();
        options.ValidateOnStart();
        builder.Services.TryAddSingleton<ImportCatalog>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IOperationHandler, ImportHandler>(sp => new ImportHandler(
            sp.GetRequiredService<ImportCatalog>(), sp.GetRequiredService<IOperationStore>(), sp.GetService<Longhaul.AspNetCore.Uploads.ImportMetrics>())));
        return builder;
    }
}
