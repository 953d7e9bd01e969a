namespace AspireVector.Tests.Api.Rest;

/// <summary>A node whose config sets collection defaults under <c>storage.*</c>, as a Qdrant config.yaml can.</summary>
public sealed class TunedDefaultsRestNode() : RestNode(o =>
{
    o.Storage.HnswM = 32;
    o.Storage.HnswEfConstruct = 256;
    o.Storage.HnswFullScanThresholdKb = 5_000;
    o.Storage.HnswMaxIndexingThreads = 1;
    o.Storage.IndexingThresholdKb = 2_000;
    o.Storage.FlushIntervalSec = 9;
    o.Storage.WalCapacityMb = 8;
    o.Storage.OnDiskPayload = false;
    o.Storage.DefaultShardNumber = 3;
});

/// <summary>The node's <c>storage.hnsw_index</c>/<c>optimizers</c>/<c>wal</c>/<c>collection</c> defaults reach new collections.</summary>
public sealed class CollectionDefaultsTests(TunedDefaultsRestNode node) : IClassFixture<TunedDefaultsRestNode>
{
    [Fact]
    public async Task A_create_without_sections_takes_the_nodes_defaults()
    {
        await node.CreateCollectionAsync("tuned_defaults", size: 4);
        var config = (await node.GetAsync("/collections/tuned_defaults")).Result.GetProperty("config");
        var hnsw = config.GetProperty("hnsw_config");
        Assert.Equal(32, hnsw.GetProperty("m").GetInt32());
        Assert.Equal(256, hnsw.GetProperty("ef_construct").GetInt32());
        Assert.Equal(5_000, hnsw.GetProperty("full_scan_threshold").GetInt32());
        Assert.Equal(1, hnsw.GetProperty("max_indexing_threads").GetInt32());
        Assert.Equal(2_000, config.GetProperty("optimizer_config").GetProperty("indexing_threshold").GetInt32());
        Assert.Equal(9, config.GetProperty("optimizer_config").GetProperty("flush_interval_sec").GetInt32());
        Assert.Equal(8, config.GetProperty("wal_config").GetProperty("wal_capacity_mb").GetInt32());
        Assert.False(config.GetProperty("params").GetProperty("on_disk_payload").GetBoolean());
        Assert.Equal(3, config.GetProperty("params").GetProperty("shard_number").GetInt32());
    }

    [Fact]
    public async Task Fields_the_request_gives_win_over_the_nodes_defaults()
    {
        Assert.True((await node.PutAsync("/collections/tuned_explicit", """
            {"vectors": {"size": 4, "distance": "Dot"}, "shard_number": 1, "on_disk_payload": true,
             "hnsw_config": {"m": 8}, "optimizers_config": {"indexing_threshold": 0}, "wal_config": {"wal_capacity_mb": 64}}
            """)).Result.GetBoolean());
        var config = (await node.GetAsync("/collections/tuned_explicit")).Result.GetProperty("config");
        Assert.Equal(8, config.GetProperty("hnsw_config").GetProperty("m").GetInt32());
        Assert.Equal(256, config.GetProperty("hnsw_config").GetProperty("ef_construct").GetInt32());
        Assert.Equal(0, config.GetProperty("optimizer_config").GetProperty("indexing_threshold").GetInt32());
        Assert.Equal(9, config.GetProperty("optimizer_config").GetProperty("flush_interval_sec").GetInt32());
        Assert.Equal(64, config.GetProperty("wal_config").GetProperty("wal_capacity_mb").GetInt32());
        Assert.True(config.GetProperty("params").GetProperty("on_disk_payload").GetBoolean());
        Assert.Equal(1, config.GetProperty("params").GetProperty("shard_number").GetInt32());
    }
}
