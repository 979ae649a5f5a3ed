using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public enum CancelOutcome { NotFound, Cancelled, Requested, AlreadyTerminal }
