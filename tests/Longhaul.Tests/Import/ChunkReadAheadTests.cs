using System.Text;
using Longhaul.Import;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.Import;

/// <summary>
/// The loader's read-ahead hands out the chunks exactly in file order, each once, however late a read-ahead starts:
/// the race fixed in import-2 (the read-ahead lambda read the loop's turn variable, so a read-ahead that started after
/// the loop moved on filled the batch being committed and the next turn committed a stale batch again) is driven
/// deterministically here through the start seam, instead of hoping a loaded thread pool shows it.
/// </summary>
public sealed class ChunkReadAheadTests
{
    private const int Rows = 100;
    private const int ChunkRows = 7;

    private static readonly TargetColumn[] Columns = [new("id", "INTEGER", ValueKind.Int64), new("name", "TEXT", ValueKind.Text)];

    /// <summary>When a read-ahead's work runs, relative to the consumer writing (here: recording) the batch it got before.</summary>
    public enum Start
    {
        /// <summary>At once, inline: the read-ahead is done before the consumer looks at its batch.</summary>
        Immediately,

        /// <summary>Only once the consumer has written and cleared its batch, just before it asks for the next: the late start of the old race.</summary>
        AfterTheWrite,

        /// <summary>Half way through the consumer's write: after it read the first half of its batch's rows.</summary>
        DuringTheWrite,
    }

    [Theory]
    [InlineData(Start.Immediately)]
    [InlineData(Start.AfterTheWrite)]
    [InlineData(Start.DuringTheWrite)]
    public async Task Chunks_come_out_exactly_in_file_order_whenever_the_read_ahead_starts(Start when)
    {
        var text = new StringBuilder();
        for (var i = 1; i <= Rows; i++) text.Append(i).Append(",\"n").Append(i).Append("\"\n");
        var file = Encoding.UTF8.GetBytes(text.ToString());
        var plan = new ImportPlan { Csv = true, Delimiter = ',', Quotes = true, Columns = Columns, SourceIndex = [0, 1], FieldCount = 2 };

        await using var stream = new MemoryStream(file, writable: false);
        // Pieces of 32 bytes (about three rows): each chunk of seven rows is read and converted in several pieces.
        using var scanner = new RecordScanner(stream, 0, 1, (byte)'"', 1024, 32);
        using var chunk = new ScannedChunk(ChunkRows);
        using var first = new ImportBatch(ChunkRows, Columns);
        using var second = new ImportBatch(ChunkRows, Columns);
        // Read-aheads held back until the consumer lets the oldest one run (inline: deterministic, no thread pool).
        var held = new Queue<TaskCompletionSource>();
        Task<bool> StartLate(Func<Task<bool>> work)
        {
            var gate = new TaskCompletionSource();
            held.Enqueue(gate);
            return gate.Task.ContinueWith(_ => work(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
        }
        Task<bool> StartNow(Func<Task<bool>> work) => work();
        void RunHeld()
        {
            while (held.TryDequeue(out var gate)) gate.SetResult();
        }
        await using var chunks = ChunkReadAhead.Over(scanner, chunk, plan, first, second, long.MaxValue, Http.Ct, when == Start.Immediately ? StartNow : StartLate);

        var written = new List<(long Id, string Name)>();
        var ends = new List<long>();
        while (await chunks.NextAsync() is { } batch)
        {
            for (var r = 0; r < batch.Rows; r++)
            {
                if (when == Start.DuringTheWrite && r == batch.Rows / 2) RunHeld();
                written.Add((batch.Row(r)[0].Integer, batch.TextOf(batch.Row(r)[1]).ToString()));
            }
            Assert.Empty(batch.Errors);
            ends.Add(batch.EndOffset);
            batch.Clear();
            RunHeld();
        }

        Assert.Equal(Enumerable.Range(1, Rows).Select(i => ((long)i, $"n{i}")), written);
        // One batch per chunk, their end offsets strictly increasing up to the file's end: no chunk twice, none lost.
        Assert.Equal((Rows + ChunkRows - 1) / ChunkRows, ends.Count);
        Assert.Equal(ends.Order(), ends);
        Assert.Equal(ends.Count, ends.Distinct().Count());
        Assert.Equal(file.Length, ends[^1]);
    }
}
