using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public enum DeleteOutcome { NotFound, Deleted, NotTerminal }
