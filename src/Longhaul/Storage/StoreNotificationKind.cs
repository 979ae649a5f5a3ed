using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public enum StoreNotificationKind { WorkAvailable, OperationChanged, CancelRequested }
