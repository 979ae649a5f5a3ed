using Longhaul;
using Longhaul.AspNetCore;
using Longhaul.Sqlite;
using ReportApp;

// appsettings.json is read from beside the app, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// Where the SQLite database lives: ReportApp:DataDir (appsettings.json, ReportApp__DataDir or --ReportApp:DataDir).
var dataDir = Path.GetFullPath(builder.Configuration["ReportApp:DataDir"] ?? "data");
Directory.CreateDirectory(dataDir);

builder.Services.AddLonghaul(builder.Configuration);          // the engine, bound to the Longhaul section
builder.Services.AddLonghaulSqlite(Path.Combine(dataDir, "longhaul.db"));
builder.Services.AddOperationHandler<ReportHandler>();        // the app's own kind
builder.Services.AddLonghaulApi(builder.Configuration);       // the HTTP API's services (Longhaul:Http)

var app = builder.Build();
app.UseLonghaul();      // problem documents, API-key authentication on /v1
app.MapLonghaul();      // /v1/operations, /v1/kinds, /healthz, /readyz, /metrics
app.MapReports();       // the app's own POST /reports
app.Run();
