using System.Security.Cryptography;
using Longhaul.Storage;

namespace Longhaul.AspNetCore;

/// <summary>
/// A 256-bit key kept in the store under <paramref name="name"/> (<see cref="IOperationStore.GetOrAddSecretAsync"/>):
/// the same bytes on every node sharing the store, also after a restart. Loaded once per process.
/// </summary>
internal sealed class StoreSecret(IOperationStore store, string name)
{
    private readonly Lock _lock = new();
    private Task<byte[]>? _key;

    public Task<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        Task<byte[]> key;
        lock (_lock)
        {
            // Loaded once, for every caller (so not with one caller's token); a failed load (store unreachable) is not
            // remembered: the next call tries again.
            if (_key is null || _key.IsFaulted || _key.IsCanceled)
            {
                _key = store.GetOrAddSecretAsync(new SecretParams(name, RandomNumberGenerator.GetBytes(32)), CancellationToken.None);
            }
            key = _key;
        }
        return key.WaitAsync(cancellationToken);
    }
}
