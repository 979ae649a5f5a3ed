using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public enum StartOutcome { Started, Replayed, KeyReused, KeyInFlight }
