using System.Text.Json.Nodes;
using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Tests.Storage;

/// <summary>
/// A flushed segment whose files were truncated or overwritten is refused at start-up with a message naming the
/// damaged file (never a full path), instead of serving wrong vectors; it is rebuilt when the WAL still covers it.
/// </summary>
public sealed class SegmentDamageTests
{
    private static readonly SegmentConfig Config = new(3, Distance.Dot);

    private static PointRecord Point(ulong id, float x) =>
        new(PointId.FromNumber(id), [x, x + 1, x + 2], new JsonObject { ["n"] = (long)id });

    /// <summary>A shard with 40 points flushed into a segment (HNSW graph included) and an empty WAL tail.</summary>
    private static async Task<string> FlushedSegmentAsync(string shardDir)
    {
        using var shard = new LocalShard(0, shardDir, new SegmentConfig(Config.Dimension, Config.Distance, HnswIndexConfig.Default with { FullScanThresholdKb = 0 }), 32);
        for (ulong i = 0; i < 4; i++)
            await shard.UpdateAsync(ShardOperation.Upsert([.. Enumerable.Range(0, 10).Select(k => Point(i * 10 + (ulong)k, k))]), wait: true);
        shard.Flush();
        string segments = Path.Combine(shardDir, "segments");
        return Path.Combine(segments, File.ReadAllText(Path.Combine(segments, "CURRENT")).Trim());
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "points.bin", "truncate" },
        { "points.bin", "flip" },
        { "index/hnsw.bin", "truncate" },
        { "index/hnsw.bin", "flip" },
        { "checksums", "truncate" },
        { "checksums", "flip" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Damaged_segment_file_fails_the_shard_with_a_clear_message(string file, string damage)
    {
        using var dir = new TempDirectory();
        string segment = await FlushedSegmentAsync(dir.Path);
        string path = Path.Combine(segment, file);
        Assert.True(File.Exists(path), "expected segment file " + file);
        Damage(path, damage);

        var e = Assert.Throws<InvalidDataException>(() => new LocalShard(0, dir.Path, Config, 32));
        Assert.Contains("segment file `", e.Message, StringComparison.Ordinal);
        Assert.Contains("WAL no longer covers it", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(dir.Path, e.Message, StringComparison.Ordinal);
        if (file != "checksums") Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Intact_segment_loads_and_carries_a_checksum_for_every_file()
    {
        using var dir = new TempDirectory();
        string segment = await FlushedSegmentAsync(dir.Path);
        var listed = File.ReadAllLines(Path.Combine(segment, "checksums")).Skip(1).SkipLast(1).Select(l => l.Split(' ', 3)[2]).ToHashSet();
        Assert.Contains("points.bin", listed);
        Assert.Contains("index/hnsw.bin", listed);

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal(40, reopened.Segment.PointCount);
        Assert.Null(reopened.LoadFailure);
    }

    [Fact]
    public async Task Damaged_segment_is_rebuilt_when_the_wal_still_holds_every_operation()
    {
        // A node stopped between moving the pointer to a new segment and truncating the WAL: the WAL still starts
        // at operation 0, so the damaged segment is rebuilt from it.
        using var dir = new TempDirectory();
        string fullWal = Path.Combine(dir.Path, "full-wal");
        using (var shard = new LocalShard(0, dir.Path, Config, 32))
        {
            for (ulong i = 0; i < 5; i++) await shard.UpdateAsync(ShardOperation.Upsert([Point(i, i)]), wait: true);
        }

        CopyDirectory(Path.Combine(dir.Path, "wal"), fullWal);
        using (var shard = new LocalShard(0, dir.Path, Config, 32)) shard.Flush(force: true);
        Directory.Delete(Path.Combine(dir.Path, "wal"), recursive: true);
        CopyDirectory(fullWal, Path.Combine(dir.Path, "wal"));
        string segments = Path.Combine(dir.Path, "segments");
        string points = Path.Combine(segments, File.ReadAllText(Path.Combine(segments, "CURRENT")).Trim(), "points.bin");
        Damage(points, "truncate");

        using var rebuilt = new LocalShard(0, dir.Path, Config, 32);
        Assert.True(rebuilt.RebuiltFromWal);
        Assert.Equal(5, rebuilt.Segment.PointCount);
        Assert.True(rebuilt.Segment.TryGetOffset(PointId.FromNumber(4), out int o));
        Assert.Equal([4f, 5f, 6f], rebuilt.Segment.VectorAt(o));
        var next = await rebuilt.UpdateAsync(ShardOperation.Upsert([Point(9, 9)]), wait: true);
        Assert.Equal(5UL, next.OperationId);
    }

    [Fact]
    public async Task Collection_keeps_serving_its_healthy_shards_and_refuses_the_damaged_one()
    {
        using var dir = new TempDirectory();
        var config = Node.Collections.CollectionConfig.FromCreateRequest(
            System.Text.Json.JsonDocument.Parse("""{"vectors": {"size": 3, "distance": "Dot"}, "shard_number": 2}""").RootElement);
        using (var c = new Node.Collections.Collection("c", dir.Path, config))
        {
            foreach (var s in c.LocalShards) await s.UpdateAsync(ShardOperation.Upsert([Point(s.Id, 1)]), wait: true);
            c.Flush();
        }

        string segments = Path.Combine(dir.Path, "1", "segments");
        Damage(Path.Combine(segments, File.ReadAllText(Path.Combine(segments, "CURRENT")).Trim(), "points.bin"), "flip");
        using var reopened = new Node.Collections.Collection("c", dir.Path, config);
        Assert.NotNull(reopened.LocalShard(0));
        Assert.Null(reopened.LocalShard(1));
        Assert.Contains("Failed to load local shard 1 of collection `c`", reopened.ShardFailure(1), StringComparison.Ordinal);
        Assert.Null(reopened.ShardFailure(0));
        var e = Assert.Throws<Node.Collections.CollectionException>(() => reopened.EnsureLocalShard(1));
        Assert.Equal(500, e.StatusCode);

        // Dropping the replica (a transfer is about to refill it) clears the failure and removes the damaged files.
        reopened.DropLocalShard(1);
        Assert.Null(reopened.ShardFailure(1));
        Assert.Equal(0, reopened.EnsureLocalShard(1).Segment.PointCount);
    }

    internal static void Damage(string path, string how)
    {
        var bytes = File.ReadAllBytes(path);
        if (how == "truncate") File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        else
        {
            bytes[bytes.Length * 2 / 3] ^= 0x5A;
            File.WriteAllBytes(path, bytes);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
