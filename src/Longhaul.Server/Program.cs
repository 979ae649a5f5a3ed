using System.CommandLine;
using Longhaul.Server;

var root = new RootCommand("Longhaul: durable operations for long work behind HTTP.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
return await root.Parse(args).InvokeAsync();
