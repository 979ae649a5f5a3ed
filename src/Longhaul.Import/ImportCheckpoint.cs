namespace Longhaul.Import;

/// <summary>
/// What Longhaul's own checkpoint keeps for an import: only that the file passed its check (<c>on_error: fail</c>). Where the
/// load stands is kept in the target database (<c>longhaul_imports</c>), committed with the rows.
/// </summary>
internal sealed record ImportCheckpoint
{
    /// <summary>Every row of the upload converts: the load needs no second check after a crash.</summary>
    public bool Checked { get; init; }
}
