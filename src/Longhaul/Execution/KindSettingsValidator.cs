using Microsoft.Extensions.Options;

namespace Longhaul.Execution;

/// <summary>
/// Start-up checks of the per-kind settings that need the registered handlers: every <c>Longhaul:Kinds:{kind}</c> names
/// a registered kind, each handler's <see cref="IOperationHandler.Defaults"/> are in range, and the retry delays in
/// effect are ordered. The configured values' own ranges are checked by <see cref="LonghaulEngineOptions.Validate"/>.
/// It validates an empty options type of its own at start-up (<c>ValidateOnStart</c>): as a validator of
/// <see cref="LonghaulEngineOptions"/> it would need the handlers to build those options, and some handlers need them.
/// </summary>
internal sealed class KindSettingsValidator(OperationHandlerRegistry registry, IOptions<LonghaulEngineOptions> engine) : IValidateOptions<KindSettingsValidator.Checked>
{
    public ValidateOptionsResult Validate(string? name, Checked options) => Validate(engine.Value);

    private ValidateOptionsResult Validate(LonghaulEngineOptions options)
    {
        var errors = new List<string>();
        foreach (var kind in options.Kinds.Keys.Where(k => !registry.TryGet(k, out _)).Order(StringComparer.Ordinal))
            errors.Add($"Longhaul:Kinds:{kind} names no registered kind (registered: {string.Join(", ", registry.Kinds)}).");
        foreach (var handler in registry.Handlers)
        {
            var code = handler.Defaults;
            var codeName = $"{handler.GetType().Name}.Defaults.";
            code?.Validate(codeName, options, errors);
            options.Kinds.TryGetValue(handler.Kind, out var config);
            var configName = $"Longhaul:Kinds:{handler.Kind}:";
            var (baseDelay, baseFrom) = config?.RetryBaseDelay is { } cb ? (cb, configName)
                : code?.RetryBaseDelay is { } db ? (db, codeName) : (options.RetryBaseDelay, "Longhaul:");
            var (maxDelay, maxFrom) = config?.RetryMaxDelay is { } cm ? (cm, configName)
                : code?.RetryMaxDelay is { } dm ? (dm, codeName) : (options.RetryMaxDelay, "Longhaul:");
            if (baseFrom != "Longhaul:" || maxFrom != "Longhaul:")
            {
                if (baseDelay > maxDelay)
                    errors.Add($"{baseFrom}RetryBaseDelay ({baseDelay}) must not be above {maxFrom}RetryMaxDelay ({maxDelay}) for kind '{handler.Kind}'.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The options type whose validation at start-up runs these checks; it holds nothing.</summary>
    internal sealed class Checked;
}
