using System.Text.Json.Nodes;
using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Tests.Storage;

public sealed class LocalShardRecoveryTests
{
    private static readonly SegmentConfig Config = new(3, Distance.Dot);

    private static PointRecord Point(ulong id, float x, string? tag = null) =>
        new(PointId.FromNumber(id), [x, x + 1, x + 2], tag is null ? null : new JsonObject { ["tag"] = tag });

    private static string? TagOf(LocalShard shard, ulong id)
    {
        var s = shard.Segment;
        return s.TryGetOffset(PointId.FromNumber(id), out int o) ? s.PayloadAt(o)?["tag"]?.GetValue<string>() : null;
    }

    [Fact]
    public async Task Replays_wal_after_restart_without_flush()
    {
        using var dir = new TempDirectory();
        using (var shard = new LocalShard(0, dir.Path, Config, 32))
        {
            await shard.UpdateAsync(ShardOperation.Upsert([Point(1, 1, "a"), Point(2, 2, "b")]), wait: true);
            await shard.UpdateAsync(ShardOperation.Delete([PointId.FromNumber(2)]), wait: true);
            await shard.UpdateAsync(new ShardOperation { Kind = ShardOperationKind.SetPayload, Ids = [PointId.FromNumber(1)], Payload = new JsonObject { ["tag"] = "c" } }, wait: true);
        }

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal(3, reopened.RecoveredRecords);
        Assert.Equal(1, reopened.Segment.PointCount);
        Assert.Equal("c", TagOf(reopened, 1));
        Assert.False(reopened.Segment.TryGetOffset(PointId.FromNumber(2), out _));
        var result = await reopened.UpdateAsync(ShardOperation.Upsert([Point(3, 3)]), wait: true);
        Assert.Equal(3UL, result.OperationId);
    }

    [Fact]
    public async Task Flush_truncates_wal_and_recovery_replays_only_the_tail()
    {
        using var dir = new TempDirectory();
        using (var shard = new LocalShard(0, dir.Path, Config, 32))
        {
            for (ulong i = 0; i < 10; i++) await shard.UpdateAsync(ShardOperation.Upsert([Point(i, i, "v" + i)]), wait: true);
            shard.Flush();
            Assert.False(shard.IsDirty);
            await shard.UpdateAsync(ShardOperation.Upsert([Point(100, 5, "tail")]), wait: true);
            await shard.UpdateAsync(ShardOperation.Delete([PointId.FromNumber(0)]), wait: true);
        }

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal(2, reopened.RecoveredRecords);
        Assert.Equal(10, reopened.Segment.PointCount);
        Assert.Equal("tail", TagOf(reopened, 100));
        Assert.Equal("v9", TagOf(reopened, 9));
        var seg = reopened.Segment;
        Assert.True(seg.TryGetOffset(PointId.FromNumber(100), out int o));
        Assert.Equal([5f, 6f, 7f], seg.VectorAt(o));
    }

    [Fact]
    public async Task Garbage_appended_after_the_last_commit_is_ignored()
    {
        using var dir = new TempDirectory();
        using (var shard = new LocalShard(0, dir.Path, Config, 32))
        {
            await shard.UpdateAsync(ShardOperation.Upsert([Point(1, 1, "kept")]), wait: true);
        }
        foreach (var file in WalDataFiles(dir.Path))
        {
            using var f = new FileStream(file, FileMode.Append);
            f.Write(Enumerable.Repeat((byte)0xAB, 4096).ToArray());
        }

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal("kept", TagOf(reopened, 1));
        await reopened.UpdateAsync(ShardOperation.Upsert([Point(2, 2, "after")]), wait: true);
        Assert.Equal("after", TagOf(reopened, 2));
    }

    [Fact]
    public async Task Corrupt_last_record_is_dropped_and_the_shard_keeps_working()
    {
        using var dir = new TempDirectory();
        using (var shard = new LocalShard(0, dir.Path, Config, 32))
        {
            await shard.UpdateAsync(ShardOperation.Upsert([Point(1, 1, "first")]), wait: true);
            await shard.UpdateAsync(ShardOperation.Upsert([Point(2, 2, "torn-marker")]), wait: true);
        }
        // Flip bytes inside the last record (its payload text), as a torn sector write would.
        var file = WalDataFiles(dir.Path).Single(f => new FileInfo(f).Length > 0);
        var bytes = File.ReadAllBytes(file);
        int at = IndexOf(bytes, "torn-marker"u8.ToArray());
        Assert.True(at > 0);
        bytes[at] ^= 0xFF;
        bytes[at + 1] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        using (var reopened = new LocalShard(0, dir.Path, Config, 32))
        {
            Assert.True(reopened.RecoveredFromTornTail);
            Assert.Equal("first", TagOf(reopened, 1));
            Assert.False(reopened.Segment.TryGetOffset(PointId.FromNumber(2), out _));
            await reopened.UpdateAsync(ShardOperation.Upsert([Point(3, 3, "later")]), wait: true);
        }

        // The bad bytes were truncated away: the next restart sees everything written after recovery.
        using var again = new LocalShard(0, dir.Path, Config, 32);
        Assert.False(again.RecoveredFromTornTail);
        Assert.Equal("first", TagOf(again, 1));
        Assert.Equal("later", TagOf(again, 3));
    }

    [Fact]
    public void Codec_rejects_truncated_and_flipped_records()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var op = ShardOperation.Upsert([Point(7, 1, "x"), new PointRecord(PointId.FromUuid(Guid.NewGuid()), [1, 2, 3], null)]);
        Node.Storage.ShardOperationCodec.Encode(42, op, buffer);
        var bytes = buffer.WrittenSpan.ToArray();
        Assert.True(Node.Storage.ShardOperationCodec.TryDecode(bytes, out var n, out var decoded));
        Assert.Equal(42UL, n);
        Assert.Equal(2, decoded!.Points.Count);
        Assert.Equal(op.Points[1].Id, decoded.Points[1].Id);
        Assert.False(Node.Storage.ShardOperationCodec.TryDecode(bytes.AsSpan(0, bytes.Length - 3), out _, out _));
        bytes[^1] ^= 1;
        Assert.False(Node.Storage.ShardOperationCodec.TryDecode(bytes, out _, out _));
    }

    private static IEnumerable<string> WalDataFiles(string shardDir) =>
        Directory.EnumerateFiles(Path.Combine(shardDir, "wal"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("commit", StringComparison.OrdinalIgnoreCase));

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        }
        return -1;
    }
}
