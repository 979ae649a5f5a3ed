using System.Data.Common;

namespace Longhaul.Storage;

/// <summary>The page-reading rules both stores share for <see cref="IOperationStore.ListAsync"/>.</summary>
internal static class ListPages
{
    /// <summary>
    /// Reads up to <see cref="ListParams.PageSize"/> operations from a reader ordered by <c>seq</c> descending whose first
    /// column is <c>seq</c> and which was asked for one row more than a page. The cursor is the last row's <c>seq</c>
    /// when that extra row exists, else <c>null</c>.
    /// </summary>
    public static async Task<(List<Operation> Operations, long? Next)> ReadAsync(
        DbDataReader reader, ListParams p, Func<DbDataReader, Operation> read, CancellationToken cancellationToken)
    {
        var operations = new List<Operation>(p.PageSize + 1);
        long? lastSeq = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (operations.Count == p.PageSize) return (operations, lastSeq);
            operations.Add(read(reader));
            lastSeq = reader.GetInt64(0);
        }
        return (operations, null);
    }

    /// <summary>
    /// For a page that a scan filter left short: the reader gives <c>count(*)</c> and <c>min(seq)</c> of the scanned
    /// window; when the window was full, older operations remain and the cursor is its oldest <c>seq</c>.
    /// </summary>
    public static async Task<long?> ScanEdgeAsync(DbDataReader reader, ListParams p, CancellationToken cancellationToken)
        => await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt64(0) >= p.ScanLimit ? reader.GetInt64(1) : null;
}
