using AspireVector.Node.Consensus;

namespace AspireVector.Tests.Consensus;

public sealed class RaftCodecTests
{
    [Fact]
    public void MessageWithEntriesAndSnapshotRoundTrips()
    {
        var message = new RaftMessage
        {
            Type = RaftMessageType.Append, To = (1UL << 52) + 7, From = 3, Term = 9, LogTerm = 8, Index = 41, Commit = 40,
            Reject = true, RejectHint = 17,
            Entries = [new LogEntry(9, 42, LogEntryType.Normal, [1, 2, 3]), new LogEntry(9, 43, LogEntryType.ConfChange, RaftCodec.EncodeConfChange(new ConfChange(ConfChangeType.AddLearner, 5)))],
            Snapshot = new RaftSnapshot(30, 7, new ConfState([1, 2, 3], [5]), [9, 9]),
        };

        var decoded = RaftCodec.DecodeMessage(RaftCodec.EncodeMessage(message));

        Assert.Equal(message.Type, decoded.Type);
        Assert.Equal(message.To, decoded.To);
        Assert.Equal(message.From, decoded.From);
        Assert.Equal((message.Term, message.LogTerm, message.Index, message.Commit), (decoded.Term, decoded.LogTerm, decoded.Index, decoded.Commit));
        Assert.True(decoded.Reject);
        Assert.Equal(17UL, decoded.RejectHint);
        Assert.Equal(2, decoded.Entries.Count);
        Assert.Equal(new byte[] { 1, 2, 3 }, decoded.Entries[0].Data);
        Assert.Equal(new ConfChange(ConfChangeType.AddLearner, 5), RaftCodec.DecodeConfChange(decoded.Entries[1].Data));
        Assert.Equal(new ulong[] { 1, 2, 3 }, decoded.Snapshot!.Conf.Voters);
        Assert.Equal(new ulong[] { 5 }, decoded.Snapshot.Conf.Learners);
        Assert.Equal(new byte[] { 9, 9 }, decoded.Snapshot.Data);
    }

    [Fact]
    public void TruncatedOrTrailingBytesAreRejected()
    {
        var bytes = RaftCodec.EncodeMessage(new RaftMessage
        {
            Type = RaftMessageType.Heartbeat, To = 2, From = 1, Term = 3, Entries = [new LogEntry(3, 1, LogEntryType.Normal, [7])],
        });

        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Throws<FormatException>(() => RaftCodec.DecodeMessage(bytes.AsSpan(0, cut)));
        }

        Assert.Throws<FormatException>(() => RaftCodec.DecodeMessage([.. bytes, 0]));
    }

    [Fact]
    public void HardStateAndSnapshotRoundTrip()
    {
        var hs = new HardState(5, 2, 99);
        Assert.Equal(hs, RaftCodec.DecodeHardState(RaftCodec.EncodeHardState(hs)));

        var snap = new RaftSnapshot(10, 4, ConfState.Empty, []);
        var back = RaftCodec.DecodeSnapshot(RaftCodec.EncodeSnapshot(snap));
        Assert.Equal((10UL, 4UL), (back.Index, back.Term));
        Assert.Empty(back.Conf.Voters);
    }
}
