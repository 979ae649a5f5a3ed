namespace Longhaul.AspNetCore;

/// <summary>Why a JSON body was refused: the problem <c>code</c>, the JSON path of the field at fault (when one is), and a message.</summary>
internal sealed record JsonBodyError(string Code, string? Path, string Message);
