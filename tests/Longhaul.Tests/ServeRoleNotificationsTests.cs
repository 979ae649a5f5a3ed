using Longhaul.Postgres;
using Longhaul.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Tests;

/// <summary>
/// `longhaul serve --store postgres` listens only to the notifications its role acts on: workers to new work and
/// cancels, API nodes to operation changes (every NOTIFY wakes every listening session, so a worker listening to
/// changes would be woken for every other worker's writes). Building the app opens no connection.
/// </summary>
public sealed class ServeRoleNotificationsTests
{
    [Theory]
    [InlineData("worker", new[] { "lh_longhaul" })]
    [InlineData("api", new[] { "lhc_longhaul" })]
    [InlineData("all", new[] { "lh_longhaul", "lhc_longhaul" })]
    public async Task ServePostgres_Role_ListensToWhatTheRoleActsOn(string role, string[] channels)
    {
        var builder = LonghaulServer.CreateBuilder(new ServeSettings
        {
            Urls = "http://127.0.0.1:0",
            Store = "postgres",
            Connection = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none",
            Role = role,
        });
        await using var app = builder.Build();

        var notifier = app.Services.GetRequiredService<PostgresStoreNotifier>();

        Assert.Equal(channels, notifier.ListenChannels);
    }
}
