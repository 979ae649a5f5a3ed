namespace Longhaul.Server.ClientCommands;

/// <summary>How a client command writes its answer (<c>--output</c>).</summary>
internal enum OutputMode
{
    /// <summary>Tables and live progress bars for a terminal; plain lines when stdout is redirected.</summary>
    Auto,
    /// <summary>Tables and progress bars, even when redirected.</summary>
    Table,
    /// <summary>Plain tab-separated lines, one record a line.</summary>
    Plain,
    /// <summary>JSON: the API's own documents; a stream of events as one JSON object a line.</summary>
    Json,
}
