using AspireVector.Node.Points;
using AspireVector.Node.Sharding;

namespace AspireVector.Tests.Sharding;

public sealed class ShardingTests
{
    [Fact]
    public void Hash_ring_spreads_points_evenly_and_is_stable()
    {
        var ring = HashRing.ForShardCount(3);
        var counts = new int[3];
        for (ulong i = 0; i < 30_000; i++) counts[ring.ShardOf(PointId.FromNumber(i))]++;
        foreach (var c in counts) Assert.InRange(c, 8_000, 12_000);
        // The mapping decides where stored data lives: pin a few values so an accidental change fails loudly.
        var again = HashRing.ForShardCount(3);
        for (ulong i = 0; i < 1000; i++) Assert.Equal(ring.ShardOf(PointId.FromNumber(i)), again.ShardOf(PointId.FromNumber(i)));
        var uuid = PointId.FromUuid(Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26"));
        Assert.Equal(ring.ShardOf(uuid), again.ShardOf(uuid));
    }

    [Fact]
    public void Adding_a_shard_moves_about_a_quarter_of_the_points()
    {
        var three = HashRing.ForShardCount(3);
        var four = HashRing.ForShardCount(4);
        int moved = 0;
        const int n = 20_000;
        for (ulong i = 0; i < n; i++)
        {
            var id = PointId.FromNumber(i);
            var before = three.ShardOf(id);
            var after = four.ShardOf(id);
            if (before != after)
            {
                moved++;
                Assert.Equal(3u, after); // points only move to the new shard
            }
        }
        Assert.InRange(moved, n / 6, n / 3);
    }

    [Fact]
    public void Placement_is_even_and_never_puts_two_replicas_of_a_shard_on_one_peer()
    {
        ulong[] peers = [11, 22, 33];
        var plan = ShardPlacement.Plan(shardNumber: 6, replicationFactor: 2, peers);
        Assert.Equal(6, plan.Count);
        var perPeer = peers.ToDictionary(p => p, _ => 0);
        foreach (var (_, replicas) in plan)
        {
            Assert.Equal(2, replicas.Count);
            Assert.Equal(2, replicas.Distinct().Count());
            foreach (var p in replicas) perPeer[p]++;
        }
        Assert.All(perPeer.Values, n => Assert.Equal(4, n));
        Assert.NotEqual(plan[0][0], plan[1][0]);
    }

    [Fact]
    public void Placement_caps_replication_at_the_number_of_peers_and_fills_the_emptiest_first()
    {
        var plan = ShardPlacement.Plan(1, 3, [1, 2]);
        Assert.Equal(2, plan[0].Count);
        var loaded = ShardPlacement.Plan(1, 1, [1, 2, 3], new Dictionary<ulong, int> { [1] = 5, [2] = 0, [3] = 2 });
        Assert.Equal([2UL], loaded[0]);
    }

    [Theory]
    [InlineData(null, ReadConsistencyKind.Factor, 1)]
    [InlineData("2", ReadConsistencyKind.Factor, 2)]
    [InlineData("majority", ReadConsistencyKind.Majority, 0)]
    [InlineData("quorum", ReadConsistencyKind.Quorum, 0)]
    [InlineData("all", ReadConsistencyKind.All, 0)]
    public void Read_consistency_parses(string? text, ReadConsistencyKind kind, int factor)
    {
        Assert.True(ReadConsistency.TryParse(text, out var c, out _));
        Assert.Equal(kind, c.Kind);
        Assert.Equal(factor, c.Factor);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("most")]
    public void Bad_read_consistency_is_refused_with_a_message(string text)
    {
        Assert.False(ReadConsistency.TryParse(text, out _, out var error));
        Assert.Contains(text, error);
    }

    [Fact]
    public void Read_consistency_semantics_match_qdrant()
    {
        ReadConsistency.TryParse("quorum", out var quorum, out _);
        ReadConsistency.TryParse("majority", out var majority, out _);
        ReadConsistency.TryParse("all", out var all, out _);
        ReadConsistency.TryParse("2", out var two, out _);
        Assert.Equal(3, quorum.RequiredResponses(5));
        Assert.Equal(3, quorum.RequiredPresence(3));
        Assert.Equal(5, majority.RequiredResponses(5));
        Assert.Equal(3, majority.RequiredPresence(5));
        Assert.Equal(5, all.RequiredResponses(5));
        Assert.Equal(2, two.RequiredResponses(5));
        Assert.Equal(1, two.RequiredResponses(1));
    }
}
