using AspireVector.Node.Consensus;

namespace AspireVector.Tests.Consensus;

public sealed class RaftFileStorageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "av-raft-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static LogEntry Entry(ulong term, ulong index) => new(term, index, LogEntryType.Normal, BitConverter.GetBytes(index * 10 + term));

    private static Ready ReadyOf(IReadOnlyList<LogEntry> entries, HardState? hs = null, RaftSnapshot? snapshot = null) =>
        new() { Messages = [], Entries = entries, HardState = hs, Snapshot = snapshot, CommittedEntries = [] };

    [Fact]
    public void EntriesAndHardStateSurviveReopen()
    {
        using (var storage = new RaftFileStorage(_dir))
        {
            var fresh = storage.Load();
            Assert.Empty(fresh.Entries);
            Assert.Null(fresh.Snapshot);
            Assert.Equal(default, fresh.HardState);
            storage.Save(ReadyOf([Entry(1, 1), Entry(1, 2), Entry(1, 3)], new HardState(1, 7, 2)));
        }

        using var reopened = new RaftFileStorage(_dir);
        var state = reopened.Load();
        Assert.Equal(new HardState(1, 7, 2), state.HardState);
        Assert.Equal(new ulong[] { 1, 2, 3 }, state.Entries.Select(e => e.Index));
        Assert.Equal(Entry(1, 3).Data, state.Entries[2].Data);
    }

    [Fact]
    public void ConflictingAppendOverwritesTheSuffix()
    {
        using (var storage = new RaftFileStorage(_dir))
        {
            storage.Load();
            storage.Save(ReadyOf([Entry(1, 1), Entry(1, 2), Entry(1, 3), Entry(1, 4)]));
            storage.Save(ReadyOf([Entry(2, 3)]));
        }

        using var reopened = new RaftFileStorage(_dir);
        var entries = reopened.Load().Entries;
        Assert.Equal(new[] { (1UL, 1UL), (1UL, 2UL), (2UL, 3UL) }, entries.Select(e => (e.Term, e.Index)));
    }

    [Fact]
    public void TornTailIsCutAndLaterAppendsAreReadable()
    {
        using (var storage = new RaftFileStorage(_dir))
        {
            storage.Load();
            storage.Save(ReadyOf([Entry(1, 1), Entry(1, 2)]));
        }

        // Simulate a crash in the middle of writing record 3: a partial frame at the end of the file.
        var log = Path.Combine(_dir, "log");
        var full = File.ReadAllBytes(log);
        File.AppendAllText(log, "\u0020\u0000\u0000\u0000garbage");

        using (var storage = new RaftFileStorage(_dir))
        {
            Assert.Equal(2, storage.Load().Entries.Count);
            Assert.Equal(full.Length, new FileInfo(log).Length);
            storage.Save(ReadyOf([Entry(1, 3)]));
        }

        // A flipped byte inside the last record is detected by its CRC.
        var bytes = File.ReadAllBytes(log);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(log, bytes);
        using var reopened = new RaftFileStorage(_dir);
        Assert.Equal(new ulong[] { 1, 2 }, reopened.Load().Entries.Select(e => e.Index));
    }

    [Fact]
    public void SnapshotCompactsTheLogAndSurvivesReopen()
    {
        using (var storage = new RaftFileStorage(_dir))
        {
            storage.Load();
            storage.Save(ReadyOf([.. Enumerable.Range(1, 10).Select(i => Entry(2, (ulong)i))], new HardState(2, 1, 10)));
            storage.SaveSnapshot(new RaftSnapshot(6, 2, new ConfState([1, 2, 3], []), [42]));
            storage.Save(ReadyOf([Entry(3, 11)]));
        }

        using var reopened = new RaftFileStorage(_dir);
        var state = reopened.Load();
        Assert.Equal(6UL, state.Snapshot!.Index);
        Assert.Equal(new byte[] { 42 }, state.Snapshot.Data);
        Assert.Equal(new ulong[] { 7, 8, 9, 10, 11 }, state.Entries.Select(e => e.Index));
        Assert.True(new FileInfo(Path.Combine(_dir, "log")).Length < 10 * 40, "compaction rewrote the log without the covered prefix");
    }

    [Fact]
    public void InstalledSnapshotReplacesTheWholeLog()
    {
        using (var storage = new RaftFileStorage(_dir))
        {
            storage.Load();
            storage.Save(ReadyOf([Entry(1, 1), Entry(1, 2)]));
            storage.Save(ReadyOf([], new HardState(5, 0, 50), new RaftSnapshot(50, 4, new ConfState([1], [2]), [1])));
            storage.Save(ReadyOf([Entry(5, 51)]));
        }

        using var reopened = new RaftFileStorage(_dir);
        var state = reopened.Load();
        Assert.Equal(50UL, state.Snapshot!.Index);
        Assert.Equal(new ulong[] { 51 }, state.Entries.Select(e => e.Index));
    }
}
