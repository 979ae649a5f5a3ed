namespace Longhaul.Server;

/// <summary>
/// One serving process per data directory: the embedded store assumes it owns every lease, so a second server on
/// the same files must refuse to start. The OS drops the lock when the process dies, even by SIGKILL.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    public static DataDirectoryLock Acquire(string dataDir)
    {
        var path = Path.Combine(dataDir, "longhaul.lock");
        try
        {
            return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Another longhaul process is serving data directory '{dataDir}' (lock file '{path}' is held).", ex);
        }
    }

    public void Dispose() => _stream.Dispose();
}
