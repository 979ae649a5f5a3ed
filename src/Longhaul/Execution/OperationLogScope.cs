using System.Collections;
using System.Globalization;

namespace Longhaul.Execution;

/// <summary>
/// The logging scope of one attempt: <c>OperationId</c>, <c>Kind</c>, <c>Attempt</c> and <c>Tenant</c> as structured
/// values (the names the engine's own log messages use), and one readable line for text loggers.
/// </summary>
internal sealed class OperationLogScope(Operation operation) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string OperationIdKey = "OperationId";
    public const string KindKey = "Kind";
    public const string AttemptKey = "Attempt";
    public const string TenantKey = "Tenant";

    private readonly KeyValuePair<string, object?>[] _values =
    [
        new(OperationIdKey, operation.Id),
        new(KindKey, operation.Kind),
        new(AttemptKey, operation.Attempt),
        new(TenantKey, operation.Tenant),
    ];

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"Operation {_values[0].Value} ({_values[1].Value}) attempt {_values[2].Value} tenant {_values[3].Value}");
}
