namespace Longhaul.Import;

/// <summary>A column of the target table: its name, its database type name and how text converts to it (null: a type the import does not load).</summary>
internal sealed record TargetColumn(string Name, string TypeName, ValueKind? Kind);
