using System.Data;
using Longhaul.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

/// <summary>
/// One maintenance leader per schema: the node holding a session-level advisory lock on its own unpooled connection.
/// Others try again at every sweep. When the leader dies, even by SIGKILL, PostgreSQL ends its session and drops the
/// lock, so the next sweep of another node takes over. The leader checks its session is alive before each sweep and
/// steps down when it is not. A short overlap would be harmless: reaping and pruning are idempotent and fenced.
/// </summary>
public sealed partial class PostgresMaintenanceLeadership : IMaintenanceLeadership, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _schema;
    private readonly ILogger<PostgresMaintenanceLeadership> _logger;
    private NpgsqlConnection? _connection;
    private bool _leading;

    /// <summary>A leader candidate for the store <paramref name="options"/> describe; it connects at the first <see cref="IsLeaderAsync"/>.</summary>
    public PostgresMaintenanceLeadership(PostgresStoreOptions options, ILogger<PostgresMaintenanceLeadership> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Never pooled: closing must end the session, which is what releases the lock.
        _connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ConnectionString;
        _schema = options.Schema;
        _logger = logger;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> IsLeaderAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_connection is null || _connection.State != ConnectionState.Open)
            {
                await DropConnectionAsync().ConfigureAwait(false);
                _connection = new NpgsqlConnection(_connectionString);
                await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            if (_leading)
            {
                await using var ping = new NpgsqlCommand(PostgresCoordination.StillConnected, _connection);
                await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            await using var command = new NpgsqlCommand(PostgresCoordination.TryLeadMaintenance, _connection);
            command.P("schema", _schema, NpgsqlDbType.Text);
            _leading = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
            if (_leading) LogLeading(_schema);
            return _leading;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            if (_leading) LogLostLead(ex, _schema);
            await DropConnectionAsync().ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Closes the leader's session, which releases the lock: another node can lead from its next sweep.</summary>
    public ValueTask DisposeAsync() => DropConnectionAsync();

    private async ValueTask DropConnectionAsync()
    {
        _leading = false;
        var connection = _connection;
        _connection = null;
        if (connection is null) return;
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // Already broken: the server ends the session (and its lock) on its own.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Maintenance: this node leads the reaper and retention pruning for schema {Schema}")]
    private partial void LogLeading(string schema);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance: lost the lead for schema {Schema}; another node takes over")]
    private partial void LogLostLead(Exception ex, string schema);
}
