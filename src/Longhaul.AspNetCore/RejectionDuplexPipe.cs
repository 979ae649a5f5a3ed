using System.IO.Pipelines;

namespace Longhaul.AspNetCore;

/// <summary>A connection's transport with its output replaced by a <see cref="RejectionPipeWriter"/>.</summary>
internal sealed class RejectionDuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input => input;

    public PipeWriter Output => output;
}
