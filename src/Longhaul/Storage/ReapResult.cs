using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public sealed record ReapResult(int Requeued, int Failed);
