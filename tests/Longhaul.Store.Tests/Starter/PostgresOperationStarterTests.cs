using Longhaul.Postgres;
using Longhaul.Store.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Store.Tests.Starter;

/// <summary>The starter on PostgreSQL (<c>LONGHAUL_TEST_POSTGRES</c>), a schema of its own per test, dropped afterwards.</summary>
public sealed class PostgresOperationStarterTests : OperationStarterTests
{
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private string? _connectionString;

    protected override void AddStore(IServiceCollection services)
    {
        _connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        services.AddLonghaulPostgres(new PostgresStoreOptions { ConnectionString = _connectionString, Schema = _schema, Notifications = false });
    }

    protected override async ValueTask CleanUpAsync()
    {
        if (_connectionString is not null) await PostgresTestDatabase.DropSchemaAsync(_connectionString, _schema, CancellationToken.None);
    }
}
