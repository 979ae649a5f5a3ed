namespace Longhaul.Storage;

/// <summary>
/// Conditions a store found at start that do not stop the node but that an operator should fix (for example a
/// PostgreSQL connection budget this node can overrun). They are logged where found and listed by <c>/readyz</c>, which
/// stays 200: the node works, and taking it out of a load balancer would not fix the setting.
/// </summary>
internal sealed class StoreWarnings
{
    private readonly Lock _gate = new();
    private readonly List<StoreWarning> _warnings = [];

    public IReadOnlyList<StoreWarning> Current
    {
        get
        {
            lock (_gate) return [.. _warnings];
        }
    }

    /// <summary>Adds a warning, replacing an earlier one with the same code.</summary>
    public void Set(string code, string message)
    {
        lock (_gate)
        {
            _warnings.RemoveAll(w => w.Code == code);
            _warnings.Add(new StoreWarning(code, message));
        }
    }
}
