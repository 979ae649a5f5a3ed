using Longhaul;
using Longhaul.AspNetCore;
using Longhaul.Postgres;
using Longhaul.Sqlite;
using Microsoft.AspNetCore.Authentication;
using ReportApp;
using ReportKind;

// appsettings.json is read from beside the app, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// The app's own sign-in (a demo bearer token per user, ReportApp:Users); Longhaul takes the tenant from the user.
builder.Services.AddAuthentication(DemoBearerHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, DemoBearerHandler>(DemoBearerHandler.SchemeName, null);
builder.Services.AddAuthorization();

var longhaul = builder.Services.AddLonghaul(builder.Configuration)   // the engine, bound to the Longhaul section
    .AddKind<ReportHandler>()                                        // the app's own kind
    .AddApi()                                                         // the HTTP API's services (Longhaul:Http)
    .UseTenantFromClaim(DemoBearerHandler.TenantClaim);              // the tenant is the signed-in user's claim, not an API key
if (string.Equals(builder.Configuration["ReportApp:Store"], "postgres", StringComparison.OrdinalIgnoreCase))
{
    // ReportApp:Store=postgres: the store samples/ReportWorker shares (Longhaul:Postgres:ConnectionString and :Schema).
    // With Longhaul:RunWorkers=false this app only serves the API, and the worker processes run the reports.
    longhaul.UsePostgres(builder.Configuration.GetSection("Longhaul:Postgres").Get<PostgresStoreOptions>() ?? new());
}
else
{
    // Where the SQLite database lives: ReportApp:DataDir (appsettings.json, ReportApp__DataDir or --ReportApp:DataDir).
    var dataDir = Path.GetFullPath(builder.Configuration["ReportApp:DataDir"] ?? "data");
    Directory.CreateDirectory(dataDir);
    longhaul.UseSqlite(Path.Combine(dataDir, "longhaul.db"));
}

var app = builder.Build();
app.UseLonghaul();          // problem documents for every error, the sign-in's 401 and 403 included
app.UseAuthentication();
app.UseAuthorization();
app.MapLonghaulHealth();    // /healthz, /readyz: no sign-in
app.MapLonghaulMetrics();   // /metrics
app.MapLonghaul("/v1").RequireAuthorization();   // /v1/operations, /v1/kinds, …: signed-in users, each in their tenant
app.MapReports();           // the app's own POST /reports
app.Run();
