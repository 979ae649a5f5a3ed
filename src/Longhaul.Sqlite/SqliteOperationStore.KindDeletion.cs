using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    // Pending (0) and running (1) operations of the kind, in its tenant (every tenant's for an every-tenant kind).
    private const string UnfinishedOfKind = "SELECT tenant, id FROM operations WHERE kind = $name AND status < 2 AND ($tenant = '*' OR tenant = $tenant) ORDER BY seq";

    /// <inheritdoc/>
    public Task<DeleteRegisteredKindResult> DeleteRegisteredKindAsync(DeleteRegisteredKindParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        // One writer: no operation starts or kind registration interleaves between the look and the delete.
        if (scope.Command("SELECT 1 FROM registered_kinds WHERE tenant = $tenant AND name = $name").P("$tenant", p.Tenant).P("$name", p.Name).ExecuteScalar() is null)
            return new DeleteRegisteredKindResult(DeleteRegisteredKindOutcome.NotFound, []);
        var unfinished = new List<(string Tenant, string Id)>();
        using (var reader = scope.Command(UnfinishedOfKind).P("$name", p.Name).P("$tenant", p.Tenant).ExecuteReader())
        {
            while (reader.Read()) unfinished.Add((reader.GetString(0), reader.GetString(1)));
        }
        if (unfinished.Count > 0 && !p.Force) return new DeleteRegisteredKindResult(DeleteRegisteredKindOutcome.InUse, unfinished);
        scope.Command("DELETE FROM registered_kinds WHERE tenant = $tenant AND name = $name").P("$tenant", p.Tenant).P("$name", p.Name).ExecuteNonQuery();
        return new DeleteRegisteredKindResult(DeleteRegisteredKindOutcome.Deleted, unfinished);
    }, cancellationToken);
}
