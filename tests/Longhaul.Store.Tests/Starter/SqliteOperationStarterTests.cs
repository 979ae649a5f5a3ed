using Longhaul.Sqlite;
using Longhaul.Store.Tests.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Store.Tests.Starter;

/// <summary>The starter on the embedded store, a fresh database file per test.</summary>
public sealed class SqliteOperationStarterTests : OperationStarterTests
{
    private readonly TempDatabase _database = new();

    protected override void AddStore(IServiceCollection services) => services.AddLonghaulSqlite(_database.Path);

    protected override ValueTask CleanUpAsync()
    {
        _database.Delete();
        return ValueTask.CompletedTask;
    }
}
