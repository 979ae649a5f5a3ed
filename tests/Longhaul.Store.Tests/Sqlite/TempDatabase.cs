namespace Longhaul.Store.Tests.Sqlite;

/// <summary>A database path of its own under the temp folder; <see cref="Delete"/> removes the file and its WAL companions.</summary>
public sealed class TempDatabase
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "longhaul-store-tests", $"{Guid.NewGuid():N}.db");

    public void Delete()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            try
            {
                File.Delete(Path + suffix);
            }
            catch (IOException)
            {
                // A pooled read connection may still hold the file on some platforms; the temp folder is disposable.
            }
        }
    }
}
