using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Longhaul.AspNetCore;
using Longhaul.AspNetCore.Admission;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Tenancy;
using Microsoft.Extensions.Configuration;

namespace Longhaul.Server;

/// <summary>
/// <c>longhaul tenants set|get|list</c>: every tenant's limits, read and written in the store as <c>keys</c> does
/// (servers see a change within 2 seconds). The defaults come from the same settings as <c>serve</c>
/// (<c>Longhaul:Tenants:Defaults</c> in appsettings.json or the environment).
/// </summary>
internal static class TenantsCommand
{
    private static readonly (string Option, string Field, string Description)[] Limits =
    [
        ("--weight", "weight", "Share of worker slots when tenants take turns (1-1000)."),
        ("--max-running", "max_running", "Most operations running at once, across nodes."),
        ("--max-pending", "max_pending", "Most operations waiting to run; a start past it answers 429."),
        ("--create-rate", "create_rate_per_second", "Starts per second per API key (0.001-1000000)."),
        ("--create-burst", "create_burst", "Starts at once above the rate."),
        ("--max-connections", "max_connections", "Event streams and long-polls at once, per node."),
        ("--max-events", "max_events_per_operation", "Events one operation may write."),
        ("--max-stored-bytes", "max_stored_bytes", "Bytes of operation files and uploads kept stored."),
    ];

    public static Command Create()
    {
        var command = new Command("tenants", "Read and set tenants' limits (overrides of Longhaul:Tenants:Defaults).");
        var tenantArgument = new Argument<string>("tenant") { Description = "The tenant." };
        var options = Limits.Select(l => new Option<string?>(l.Option) { Description = l.Description + " 'default' removes the override." }).ToArray();
        var clear = new Option<bool>("--clear") { Description = "Remove every override first (the defaults apply again)." };
        var setStore = new StoreArguments();
        var set = new Command("set", "Set some of a tenant's limits; the others keep their overrides.") { tenantArgument, clear };
        foreach (var option in options) set.Options.Add(option);
        setStore.AddTo(set);
        set.SetAction(async (result, ct) =>
        {
            var tenant = result.GetValue(tenantArgument)!;
            if (!ApiKeys.IsValidTenant(tenant)) return await FailAsync("the tenant must be 1-63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.").ConfigureAwait(false);
            await using var opened = await setStore.OpenAsync(result, ct).ConfigureAwait(false);
            var current = result.GetValue(clear) ? new TenantLimitOverrides() : await opened.Store.GetTenantLimitsAsync(tenant, ct).ConfigureAwait(false) ?? new TenantLimitOverrides();
            var body = JsonNode.Parse(JsonSerializer.Serialize(current.ToWire(), LonghaulJson.Default.TenantLimitValues))!.AsObject();
            for (var i = 0; i < Limits.Length; i++)
            {
                if (result.GetValue(options[i]) is not { } raw) continue;
                if (raw == "default") body[Limits[i].Field] = null;
                else if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    body[Limits[i].Field] = JsonNode.Parse(raw.Contains('.', StringComparison.Ordinal) || raw.Contains('e', StringComparison.OrdinalIgnoreCase) ? number.ToString("R", CultureInfo.InvariantCulture) : raw);
                else return await FailAsync($"{Limits[i].Option} must be a number or 'default'.").ConfigureAwait(false);
            }
            using var document = JsonDocument.Parse(body.ToJsonString());
            if (TenantLimitsBody.Read(document.RootElement, out var errors) is not { } overrides)
            {
                var field = errors.First();
                return await FailAsync($"{Limits.FirstOrDefault(l => l.Field == field.Key).Option ?? field.Key} {field.Value[0]}.").ConfigureAwait(false);
            }
            await opened.Store.SetTenantLimitsAsync(tenant, overrides, ct).ConfigureAwait(false);
            Print(tenant, overrides);
            return 0;
        });

        var getTenant = new Argument<string>("tenant") { Description = "The tenant." };
        var getStore = new StoreArguments();
        var get = new Command("get", "A tenant's overrides and the limits in force, as JSON.") { getTenant };
        getStore.AddTo(get);
        get.SetAction(async (result, ct) =>
        {
            var tenant = result.GetValue(getTenant)!;
            if (!ApiKeys.IsValidTenant(tenant)) return await FailAsync("the tenant must be 1-63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.").ConfigureAwait(false);
            await using var opened = await getStore.OpenAsync(result, ct).ConfigureAwait(false);
            Print(tenant, await opened.Store.GetTenantLimitsAsync(tenant, ct).ConfigureAwait(false) ?? new TenantLimitOverrides());
            return 0;
        });

        var listStore = new StoreArguments();
        var list = new Command("list", "Every tenant with an API key or overrides: its overrides, one line each.");
        listStore.AddTo(list);
        list.SetAction(async (result, ct) =>
        {
            await using var opened = await listStore.OpenAsync(result, ct).ConfigureAwait(false);
            var overrides = (await opened.Store.ListTenantLimitsAsync(ct).ConfigureAwait(false)).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
            var keys = await opened.Store.ListApiKeysAsync(ct).ConfigureAwait(false);
            foreach (var tenant in keys.Select(k => k.Tenant).Where(t => t != ApiKeyRecord.AllTenants).Concat(overrides.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var own = overrides.GetValueOrDefault(tenant);
                Console.WriteLine($"{tenant}\t{(own is null ? "defaults" : JsonSerializer.Serialize(own.ToWire(), LonghaulJson.Default.TenantLimitValues))}");
            }
            return 0;
        });

        command.Subcommands.Add(set);
        command.Subcommands.Add(get);
        command.Subcommands.Add(list);
        return command;
    }

    private static void Print(string tenant, TenantLimitOverrides overrides)
    {
        var defaults = new TenantLimitsOptions();
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build().GetSection(TenantLimitsOptions.SectionName).Bind(defaults);
        var resource = new TenantLimitsResource { Tenant = tenant, Overrides = overrides.ToWire(), Limits = TenantLimits.Resolve(tenant, overrides, defaults).ToWire() };
        Console.WriteLine(JsonSerializer.Serialize(resource, LonghaulJson.Default.TenantLimitsResource));
    }

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"longhaul: {message}").ConfigureAwait(false);
        return 2;
    }
}
