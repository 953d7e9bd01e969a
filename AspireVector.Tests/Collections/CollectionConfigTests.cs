using System.Text.Json;
using AspireVector.Node.Collections;

namespace AspireVector.Tests.Collections;

public sealed class CollectionConfigTests
{
    [Fact]
    public void Defaults_give_a_segment_config()
    {
        // The defaults are int-valued JSON nodes, unlike validated or persisted values; reading them must not throw.
        var config = CollectionConfig.FromCreateRequest(JsonDocument.Parse("""{"vectors":{"size":4,"distance":"Cosine"}}""").RootElement);

        var segment = config.ToSegmentConfig();

        Assert.Equal(16, segment.Hnsw!.M);
        Assert.Equal(100, segment.Hnsw.EfConstruct);
        Assert.Equal(10_000, segment.Hnsw.FullScanThresholdKb);
        Assert.Equal(32, config.WalCapacityMb);
        Assert.Equal(5, config.FlushIntervalSec);
    }

    [Fact]
    public void Given_and_persisted_values_give_the_same_segment_config()
    {
        var config = CollectionConfig.FromCreateRequest(JsonDocument.Parse(
            """{"vectors":{"size":4,"distance":"Dot"},"hnsw_config":{"m":8},"wal_config":{"wal_capacity_mb":64}}""").RootElement);
        var reloaded = CollectionConfig.FromCreateRequest(JsonDocument.Parse(config.ToPersistedJson()).RootElement);

        Assert.Equal(8, config.ToSegmentConfig().Hnsw!.M);
        Assert.Equal(config.ToSegmentConfig(), reloaded.ToSegmentConfig());
        Assert.Equal(64, reloaded.WalCapacityMb);
    }
}
