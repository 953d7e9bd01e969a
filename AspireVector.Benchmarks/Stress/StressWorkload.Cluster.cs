namespace AspireVector.Benchmarks.Stress;

public sealed partial class StressWorkload
{
    /// <summary>
    /// Every <see cref="StressOptions.MoveEvery"/>: picks a random shard and a peer without it, and either moves the shard
    /// there or replicates it there and then drops the replica it came from; waits for the transfer before the next one.
    /// </summary>
    private async Task MoveShardsAsync(Random random, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.MoveEvery);
        try
        {
            int round = 0;
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                int node = RandomNode(random);
                if (await PlacementAsync(node, "cluster_info") is not { Settled: true } placement) continue;
                uint shard = placement.Shards.Keys.ElementAt(random.Next(placement.Shards.Count));
                var holders = placement.Shards[shard].Keys.ToList();
                var free = placement.Peers.Where(p => !holders.Contains(p)).ToList();
                if (free.Count == 0) continue;
                ulong to = free[random.Next(free.Count)], from = holders[random.Next(holders.Count)];
                bool move = round++ % 2 == 0;
                string op = move ? "move_shard" : "replicate_shard";
                object transfer = new { shard_id = shard, from_peer_id = from, to_peer_id = to };
                var (status, _) = await CallAsync(op, node, HttpMethod.Post, $"/collections/{_options.Collection}/cluster",
                    move ? (object)new { move_shard = transfer } : new { replicate_shard = transfer }).ConfigureAwait(false);
                if (status != 200) continue;
                bool done = await WaitAsync(async () => await PlacementAsync(node) is { Transfers: 0 } p, $"{op} of shard {shard} {from} -> {to}",
                    TimeSpan.FromMinutes(2), _log).ConfigureAwait(false);
                var after = await PlacementAsync(node).ConfigureAwait(false);
                if (!done || after is null || !after.Shards[shard].ContainsKey(to) || after.Shards[shard][to] != "Active" || after.Shards[shard].ContainsKey(from) == move)
                {
                    Report.Notes.Add($"{op} of shard {shard} from {from} to {to} did not complete ({(done ? "the transfer ended without it" : "still running after 2 minutes")})");
                    continue;
                }

                Report.Transfers++;
                if (!move)
                {
                    await CallAsync("drop_replica", node, HttpMethod.Post, $"/collections/{_options.Collection}/cluster",
                        new { drop_replica = new { shard_id = shard, peer_id = from } }).ConfigureAwait(false);
                }

                _log.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F0} s: {op} of shard {shard} {from} -> {to} done");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>The collection's placement as <paramref name="node"/> sees it, or null when it cannot tell.</summary>
    internal async Task<StressPlacement?> PlacementAsync(int node, string op = "settle_poll")
    {
        var (s1, info) = await CallAsync(op, node, HttpMethod.Get, $"/collections/{_options.Collection}/cluster").ConfigureAwait(false);
        var (s2, cluster) = await CallAsync(op, node, HttpMethod.Get, "/cluster").ConfigureAwait(false);
        return Result(s1, info) is { } i && Result(s2, cluster) is { } c ? StressPlacement.Parse(i, c) : null;
    }

    /// <summary>After the load: waits until every node sees no transfer and only active replicas.</summary>
    private async Task SettleAsync()
    {
        bool settled = await WaitAsync(async () =>
        {
            for (int i = 0; i < _nodes.Count; i++)
            {
                if (await PlacementAsync(i).ConfigureAwait(false) is not { Settled: true }) return false;
            }

            return true;
        }, "transfers to finish", TimeSpan.FromMinutes(3), _log).ConfigureAwait(false);
        Report.Settled = settled;
        if (!settled) Report.Notes.Add("the cluster did not settle (transfers or inactive replicas) within 3 minutes");
    }
}
