using Microsoft.Extensions.Options;

namespace Longhaul.Execution;

/// <summary>The settings in effect for every registered kind, resolved once (the options are validated by then).</summary>
internal sealed class KindSettingsCatalog(OperationHandlerRegistry registry, IOptions<LonghaulEngineOptions> options)
{
    private Dictionary<string, KindSettings>? _settings;

    public KindSettings For(string kind)
    {
        var all = _settings ??= registry.Handlers.ToDictionary(h => h.Kind, h => KindSettings.Resolve(h, options.Value), StringComparer.Ordinal);
        return all.TryGetValue(kind, out var settings) ? settings : KindSettings.Fallback(options.Value);
    }
}
