using Longhaul.Storage;

namespace Longhaul.Server;

/// <summary>A store opened by a maintenance command, disposed when the command ends.</summary>
internal sealed record OpenedStore(IOperationStore Store, string Description) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Store is IAsyncDisposable d ? d.DisposeAsync() : ValueTask.CompletedTask;
}
