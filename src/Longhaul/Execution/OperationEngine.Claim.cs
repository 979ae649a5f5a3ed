using Longhaul.Storage;

namespace Longhaul.Execution;

/// <summary>The claim loop: fills free slots, within each kind's own cap (<see cref="OperationKindOptions.Slots"/>).</summary>
internal sealed partial class OperationEngine
{
    private async Task ClaimLoopAsync(CancellationToken stoppingToken)
    {
        // With a backlog (the last claim filled every free slot), slots free up one by one; claiming each alone costs
        // a store round-trip per operation. So under backlog, when fewer than a quarter of the slots are free, wait a
        // short window for more to free up and claim them together. The window is bounded, so a slot freed among
        // long-running operations is still filled within milliseconds; without a backlog nothing waits.
        var batch = Math.Max(1, _options.WorkerSlots / 4);
        var capped = _registry.LocalKinds.Select(k => (Kind: k, Slots: _kinds.For(k).Slots)).Where(k => k.Slots is not null)
            .Select(k => (k.Kind, Slots: k.Slots!.Value)).ToArray();
        var uncapped = _registry.LocalKinds.Where(k => _kinds.For(k).Slots is null).ToArray();
        var backlog = false;
        DateTimeOffset? batchUntil = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = _options.WorkerSlots - _running.Count;
            if (free <= 0)
            {
                await _wake.WaitAsync(_options.PollInterval, _time, stoppingToken).ConfigureAwait(false);
                continue;
            }
            if (backlog && free < batch)
            {
                batchUntil ??= _time.GetUtcNow() + ClaimBatchWindow;
                var left = batchUntil.Value - _time.GetUtcNow();
                if (left > TimeSpan.Zero)
                {
                    await _wake.WaitAsync(left, _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }
            }
            batchUntil = null;
            int claimed;
            try
            {
                claimed = await ClaimIntoAsync(free, capped, uncapped, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogClaimFailed(ex);
                await _wake.WaitAsync(_options.PollInterval, _time, stoppingToken).ConfigureAwait(false);
                continue;
            }
            backlog = claimed == free;
            if (!backlog)
            {
                await _wake.WaitAsync(_options.PollInterval, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Claims up to <paramref name="free"/> operations and starts them; returns how many. The store's claim takes a list
    /// of kinds and one count, so a capped kind is claimed on its own, for at most its free slots, and only while it
    /// has some; the uncapped kinds share one claim for the slots left. Capped kinds go first: their claims are bounded
    /// by their caps, so they cannot crowd the others out.
    /// </summary>
    private async Task<int> ClaimIntoAsync(int free, (string Kind, int Slots)[] capped, string[] uncapped, CancellationToken cancellationToken)
    {
        var claimed = 0;
        foreach (var (kind, slots) in capped)
        {
            var room = Math.Min(slots - RunningOf(kind), free - claimed);
            if (room <= 0) continue;
            claimed += await ClaimAndStartAsync([kind], room, cancellationToken).ConfigureAwait(false);
        }
        if (uncapped.Length > 0 && free - claimed > 0)
            claimed += await ClaimAndStartAsync(uncapped, free - claimed, cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    private async Task<int> ClaimAndStartAsync(IReadOnlyList<string> kinds, int max, CancellationToken cancellationToken)
    {
        var operations = await _store.ClaimAsync(new ClaimParams(_owner, kinds, max, _options.LeaseDuration, DefaultMaxRunning: _defaultMaxRunning, KindCaps: _kindCaps), cancellationToken).ConfigureAwait(false);
        foreach (var operation in operations) Start(operation);
        return operations.Count;
    }

    // Only this loop adds to _running, so a count taken here never undercounts; finishing operations only lower it.
    private int RunningOf(string kind) => _running.Values.Count(r => string.Equals(r.Operation.Kind, kind, StringComparison.Ordinal));
}
