namespace Longhaul;

/// <summary>The kinds this process knows, by name.</summary>
public sealed class OperationHandlerRegistry
{
    private readonly Dictionary<string, IOperationHandler> _handlers;

    public OperationHandlerRegistry(IEnumerable<IOperationHandler> handlers)
    {
        _handlers = new Dictionary<string, IOperationHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
                throw new InvalidOperationException($"Two handlers are registered for kind '{handler.Kind}'.");
        }
        Kinds = [.. _handlers.Keys.Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Kinds { get; }

    public IEnumerable<IOperationHandler> Handlers => Kinds.Select(k => _handlers[k]);

    public bool TryGet(string kind, out IOperationHandler handler) => _handlers.TryGetValue(kind, out handler!);
}
