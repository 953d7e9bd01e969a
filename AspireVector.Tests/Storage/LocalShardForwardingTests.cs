using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Tests.Storage;

/// <summary>
/// A shard forwards its updates to one transfer's receiver at a time: a second forwarder is refused rather than
/// replacing the first, and stopping is by identity, so one transfer never stops another's forwarding.
/// </summary>
public sealed class LocalShardForwardingTests
{
    private static readonly SegmentConfig Config = new(3, Distance.Dot);

    private static ShardOperation Upsert(ulong id) => ShardOperation.Upsert([new PointRecord(PointId.FromNumber(id), [id, 1, 2], null)]);

    [Fact]
    public async Task A_second_forwarder_is_refused_and_stopping_another_one_leaves_forwarding_on()
    {
        using var dir = new TempDirectory();
        using var shard = new LocalShard(0, dir.Path, Config, 32);
        var first = new List<ShardOperation>();
        var second = new List<ShardOperation>();
        Func<ShardOperation, Task> forwardFirst = op => { first.Add(op); return Task.CompletedTask; };
        Func<ShardOperation, Task> forwardSecond = op => { second.Add(op); return Task.CompletedTask; };

        await shard.SetForwarderAsync(forwardFirst);
        await Assert.ThrowsAsync<InvalidOperationException>(() => shard.SetForwarderAsync(forwardSecond));
        await Assert.ThrowsAsync<InvalidOperationException>(() => shard.CaptureAsync(Path.Combine(dir.Path, "capture"), forwardSecond, CancellationToken.None));

        // The refused transfer winding down stops "its" forwarder: the first one's goes on.
        await shard.StopForwardingAsync(forwardSecond);
        Assert.True(shard.IsForwarding);
        await shard.UpdateAsync(Upsert(1), wait: true);
        Assert.Single(first);
        Assert.Empty(second);

        await shard.StopForwardingAsync(forwardFirst);
        Assert.False(shard.IsForwarding);
        await shard.UpdateAsync(Upsert(2), wait: true);
        Assert.Single(first);

        // Once stopped, the next transfer's forwarder is taken, here at a capture.
        long captured = await shard.CaptureAsync(Path.Combine(dir.Path, "capture-2"), forwardSecond, CancellationToken.None);
        Assert.Equal(1, captured);
        await shard.UpdateAsync(Upsert(3), wait: true);
        Assert.Single(second);
        Assert.Equal(PointId.FromNumber(3), second[0].Points[0].Id);
    }
}
