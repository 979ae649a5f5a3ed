using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // Pending (0) and running (1) operations of the kind, in its tenant (every tenant's for an every-tenant kind).
    private const string UnfinishedOfKind = "SELECT tenant, id FROM operations WHERE kind = @name AND status < 2 AND (@tenant = '*' OR tenant = @tenant) ORDER BY seq";

    private const string DeleteKind = "DELETE FROM registered_kinds WHERE tenant = @tenant AND name = @name";

    /// <inheritdoc/>
    public Task<DeleteRegisteredKindResult> DeleteRegisteredKindAsync(DeleteRegisteredKindParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        // Takes turns with registrations of the name, so a delete and a registration do not interleave.
        await ExecuteAsync(scope.Command(LockKindName).P("name", p.Name, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
        await using (var exists = scope.Command("SELECT 1 FROM registered_kinds WHERE tenant = @tenant AND name = @name")
            .P("tenant", p.Tenant, NpgsqlDbType.Text).P("name", p.Name, NpgsqlDbType.Text))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                return new DeleteRegisteredKindResult(DeleteRegisteredKindOutcome.NotFound, []);
        }
        var unfinished = new List<(string Tenant, string Id)>();
        await using (var select = scope.Command(UnfinishedOfKind).P("name", p.Name, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) unfinished.Add((reader.GetString(0), reader.GetString(1)));
        }
        if (unfinished.Count > 0 && !p.Force) return new DeleteRegisteredKindResult(DeleteRegisteredKindOutcome.InUse, unfinished);
        await ExecuteAsync(scope.Command(DeleteKind).P("tenant", p.Tenant, NpgsqlDbType.Text).P("name", p.Name, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
        return new DeleteRegisteredKindResult(DeleteRegisteredKindOutcome.Deleted, unfinished);
    }, cancellationToken);
}
