using System.CommandLine;
using Longhaul.AspNetCore;
using Longhaul.Storage;

namespace Longhaul.Server;

internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Manage API keys. Once any key exists, every /v1 call needs one.");

        var tenant = new Option<string?>("--tenant") { Description = "The tenant the key acts for (a worker key claims only this tenant's operations)." };
        var scope = new Option<string>("--scope") { Description = "client (start, read, cancel, delete; the default), worker (only the worker protocol) or operator (every tenant's limits and usage).", DefaultValueFactory = _ => "client" };
        var allTenants = new Option<bool>("--all-tenants") { Description = "A worker key that claims every tenant's operations (platform kinds), instead of --tenant." };
        var kinds = new Option<string?>("--kinds") { Description = "A worker key's kinds, comma-separated (default: every remote kind)." };
        var createStore = new StoreArguments();
        var create = new Command("create", "Create a key; it is printed once and only its hash is stored.") { tenant, scope, allTenants, kinds };
        createStore.AddTo(create);
        create.SetAction(async (result, cancellationToken) =>
        {
            var request = KeyRequest.Parse(result.GetValue(tenant), result.GetValue(scope)!, result.GetValue(allTenants), result.GetValue(kinds));
            if (request.Error is { } error)
            {
                await Console.Error.WriteLineAsync($"longhaul: {error}").ConfigureAwait(false);
                return 2;
            }
            await using var opened = await createStore.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var store = opened.Store;
            var key = ApiKeys.NewKey();
            var id = ApiKeys.NewId();
            await store.CreateApiKeyAsync(new CreateApiKeyParams(id, request.Tenant, ApiKeys.Hash(key), TimeProvider.System.GetUtcNow(), request.Scope, request.Kinds), cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"Created key {id} for {request.Describe()}. It is shown once; store it now:").ConfigureAwait(false);
            Console.WriteLine(key);
            return 0;
        });

        var listStore = new StoreArguments();
        var list = new Command("list", "List keys (ids and tenants; never the keys).");
        listStore.AddTo(list);
        list.SetAction(async (result, cancellationToken) =>
        {
            await using var opened = await listStore.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            foreach (var k in await opened.Store.ListApiKeysAsync(cancellationToken).ConfigureAwait(false))
            {
                var scopeText = k.Scope switch
                {
                    ApiKeyScope.Worker => $"worker{(k.Kinds is { } ks ? $" kinds={string.Join(',', ks)}" : "")}",
                    ApiKeyScope.Operator => "operator",
                    _ => "client",
                };
                Console.WriteLine($"{k.Id}\t{k.Tenant}\t{scopeText}\tcreated {k.CreatedAt:u}\t{(k.RevokedAt is { } r ? $"revoked {r:u}" : "active")}");
            }
            return 0;
        });

        var keyId = new Argument<string>("id") { Description = "The key id (key_…)." };
        var revokeStore = new StoreArguments();
        var revoke = new Command("revoke", "Revoke a key; servers stop accepting it within seconds.") { keyId };
        revokeStore.AddTo(revoke);
        revoke.SetAction(async (result, cancellationToken) =>
        {
            await using var opened = await revokeStore.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var ok = await opened.Store.RevokeApiKeyAsync(new RevokeApiKeyParams(result.GetValue(keyId)!), cancellationToken).ConfigureAwait(false);
            Console.WriteLine(ok ? "Revoked." : "No such active key.");
            return ok ? 0 : 1;
        });

        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(revoke);
        return command;
    }
}
