using System.Globalization;

namespace Longhaul.Server;

/// <summary>
/// One serving process per data directory: the embedded store assumes it owns every lease, so a second server on
/// the same files must refuse to start. The OS drops the lock when the process dies, even by SIGKILL.
/// </summary>
/// <remarks>
/// The holder writes its process id to <c>longhaul.pid</c> next to the lock (the lock file itself cannot be read
/// while it is held), so a refused second server can name the process to look at. A PID file left behind by a killed
/// process is overwritten by the next holder; the lock, not the PID file, decides who owns the directory.
/// </remarks>
internal sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _pidPath;

    private DataDirectoryLock(FileStream stream, string pidPath)
    {
        _stream = stream;
        _pidPath = pidPath;
    }

    public static DataDirectoryLock Acquire(string dataDir)
    {
        var path = Path.Combine(dataDir, "longhaul.lock");
        var pidPath = Path.Combine(dataDir, "longhaul.pid");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            var holder = ReadHolder(pidPath) is { } pid ? $" (PID {pid})" : "";
            throw new InvalidOperationException($"Another longhaul process{holder} is serving data directory '{dataDir}' (lock file '{path}' is held).", ex);
        }
        try
        {
            File.WriteAllText(pidPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The PID only improves the message a second server prints; the lock itself is held.
        }
        return new DataDirectoryLock(stream, pidPath);
    }

    public void Dispose()
    {
        try
        {
            if (ReadHolder(_pidPath) == Environment.ProcessId) File.Delete(_pidPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stale PID file is overwritten by the next holder.
        }
        _stream.Dispose();
    }

    private static int? ReadHolder(string pidPath)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
