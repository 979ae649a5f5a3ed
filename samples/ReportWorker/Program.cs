using Longhaul;
using Longhaul.Postgres;
using ReportKind;

// The generic host: configuration (appsettings.json beside the app, environment variables, arguments), logging and
// SIGTERM handling, and no web server. The engine's workers, leases and maintenance are hosted services.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);

// Longhaul:Postgres:ConnectionString and :Schema (Longhaul__Postgres__ConnectionString, Longhaul__Postgres__Schema).
var postgres = builder.Configuration.GetSection("Longhaul:Postgres").Get<PostgresStoreOptions>() ?? new PostgresStoreOptions();
if (string.IsNullOrWhiteSpace(postgres.ConnectionString))
{
    throw new InvalidOperationException("Set Longhaul:Postgres:ConnectionString (or the environment variable Longhaul__Postgres__ConnectionString).");
}
postgres.ReceiveChangeNotifications = false;   // no API here: nothing waits on other nodes' changes

builder.Services.AddLonghaul(builder.Configuration)           // the engine: workers, leases, maintenance
    .UsePostgres(postgres)                                     // the store the API nodes share
    .AddKind<ReportHandler>();                                 // the kind this worker runs

builder.Build().Run();
