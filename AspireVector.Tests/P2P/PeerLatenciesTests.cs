using AspireVector.Node.P2P;
using AspireVector.Tests.Dashboard.Fakes;

namespace AspireVector.Tests.P2P;

public sealed class PeerLatenciesTests
{
    [Fact]
    public void AverageFollowsRecentSamplesAndForgetsStaleOnes()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var latencies = new PeerLatencies(clock);
        Assert.Null(latencies.Milliseconds("http://127.0.0.1:6335/"));

        latencies.Record("http://127.0.0.1:6335", TimeSpan.FromMilliseconds(10));
        Assert.Equal(10, latencies.Milliseconds("http://127.0.0.1:6335/"));   // the same peer with or without the slash
        latencies.Record("http://127.0.0.1:6335/", TimeSpan.FromMilliseconds(1010));
        Assert.Equal(10 + PeerLatencies.Alpha * 1000, latencies.Milliseconds("http://127.0.0.1:6335/")!.Value, 6);
        Assert.Null(latencies.Milliseconds("http://127.0.0.1:6345/"));

        clock.Now += PeerLatencies.StaleAfter + TimeSpan.FromSeconds(1);
        Assert.Null(latencies.Milliseconds("http://127.0.0.1:6335/")); // stale: the peer gets probed again
        latencies.Record("http://127.0.0.1:6335/", TimeSpan.FromMilliseconds(4));
        Assert.Equal(4, latencies.Milliseconds("http://127.0.0.1:6335/")); // a fresh start, not blended with the old estimate
    }
}
