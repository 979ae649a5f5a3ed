using System.CommandLine;
using Longhaul.Server;
using Longhaul.Server.ClientCommands;

var root = new RootCommand("Longhaul: durable operations for long work behind HTTP.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(WebhooksCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(ProbeCommand.Create());
ClientCommands.AddTo(root);
root.Subcommands.Add(TenantsCommand.Create());
// System.CommandLine must not handle SIGTERM/SIGINT: its 2 s ProcessTerminationTimeout would end `serve` with exit
// code 143 in the middle of the host's graceful shutdown (grace period, hand-back). The generic host handles them.
var parsed = root.Parse(args);
return ClientCommands.ExitCode(parsed, await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }));
