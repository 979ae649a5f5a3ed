using Longhaul;
using Longhaul.AspNetCore;
using Longhaul.Postgres;
using Longhaul.Sqlite;
using ReportApp;
using ReportKind;

// appsettings.json is read from beside the app, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.Services.AddLonghaul(builder.Configuration);          // the engine, bound to the Longhaul section
if (string.Equals(builder.Configuration["ReportApp:Store"], "postgres", StringComparison.OrdinalIgnoreCase))
{
    // ReportApp:Store=postgres: the store samples/ReportWorker shares (Longhaul:Postgres:ConnectionString and :Schema).
    // With Longhaul:RunWorkers=false this app only serves the API, and the worker processes run the reports.
    builder.Services.AddLonghaulPostgres(builder.Configuration.GetSection("Longhaul:Postgres").Get<PostgresStoreOptions>() ?? new());
}
else
{
    // Where the SQLite database lives: ReportApp:DataDir (appsettings.json, ReportApp__DataDir or --ReportApp:DataDir).
    var dataDir = Path.GetFullPath(builder.Configuration["ReportApp:DataDir"] ?? "data");
    Directory.CreateDirectory(dataDir);
    builder.Services.AddLonghaulSqlite(Path.Combine(dataDir, "longhaul.db"));
}
builder.Services.AddOperationHandler<ReportHandler>();        // the app's own kind
builder.Services.AddLonghaulApi(builder.Configuration);       // the HTTP API's services (Longhaul:Http)

var app = builder.Build();
app.UseLonghaul();      // problem documents, API-key authentication on /v1
app.MapLonghaul();      // /v1/operations, /v1/kinds, /healthz, /readyz, /metrics
app.MapReports();       // the app's own POST /reports
app.Run();
