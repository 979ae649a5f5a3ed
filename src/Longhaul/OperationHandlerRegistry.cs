namespace Longhaul;

/// <summary>The kinds this process knows, by name.</summary>
public sealed class OperationHandlerRegistry
{
    private readonly Dictionary<string, IOperationHandler> _handlers;

    /// <summary>Indexes <paramref name="handlers"/> by kind; throws <see cref="InvalidOperationException"/> when two share a kind.</summary>
    public OperationHandlerRegistry(IEnumerable<IOperationHandler> handlers)
    {
        _handlers = new Dictionary<string, IOperationHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
                throw new InvalidOperationException($"Two handlers are registered for kind '{handler.Kind}'.");
        }
        Kinds = [.. _handlers.Keys.Order(StringComparer.Ordinal)];
        LocalKinds = [.. Kinds.Where(k => !_handlers[k].IsRemote)];
    }

    /// <summary>The kinds the in-process engine runs (every kind but the remote ones), in ordinal order.</summary>
    public IReadOnlyList<string> LocalKinds { get; }

    /// <summary>The registered kind names, in ordinal order.</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>The handlers, in the order of <see cref="Kinds"/>.</summary>
    public IEnumerable<IOperationHandler> Handlers => Kinds.Select(k => _handlers[k]);

    /// <summary>Finds the handler of <paramref name="kind"/> (case-sensitive); false when none is registered.</summary>
    public bool TryGet(string kind, out IOperationHandler handler) => _handlers.TryGetValue(kind, out handler!);
}
