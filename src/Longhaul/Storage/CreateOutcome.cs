using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public enum CreateOutcome { Created, Replayed, KeyReused, KeyInFlight }
