using System.Reflection;
using Longhaul.Storage;

namespace Longhaul.Tests.Infrastructure;

/// <summary>
/// The real store with one fault: while <see cref="FailOutput"/> is set, appending an <c>output</c> event throws, as
/// a store that lost its disk or its database would. Everything else goes to the real store.
/// </summary>
public class FaultyStore : DispatchProxy
{
    private IOperationStore _inner = null!;

    public bool FailOutput { get; set; }

    public static (IOperationStore Store, FaultyStore Faults) Wrap(IOperationStore inner)
    {
        var store = Create<IOperationStore, FaultyStore>();
        var faults = (FaultyStore)(object)store;
        faults._inner = inner;
        return (store, faults);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (FailOutput && targetMethod.Name == nameof(IOperationStore.AppendOutputAsync))
            throw new IOException("Injected store failure: disk I/O error at /var/lib/longhaul/longhaul.db");
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
