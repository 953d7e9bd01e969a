using System.Text.Json;

namespace AspireVector.Benchmarks.Stress;

/// <summary>
/// One client of a <see cref="StressWorkload"/>: a closed loop of random operations through random nodes on its own id
/// range, keeping the exact model of its points (id -> version) from the answers it got.
/// </summary>
/// <remarks>Not thread-safe: one client runs one operation at a time, which is what keeps its model exact.</remarks>
internal sealed class StressClient(StressWorkload run, int index, Random random)
{
    private const int Buckets = 16;
    private readonly List<long> _ids = [];
    private readonly Dictionary<long, (int Version, int Slot)> _live = [];
    private long _next = (index + 1) * 100_000_000L;

    /// <summary>Points that must exist, with their version.</summary>
    public IEnumerable<KeyValuePair<long, int>> Live => _live.Select(p => new KeyValuePair<long, int>(p.Key, p.Value.Version));

    /// <summary>Points whose last write got no clear answer: they may or may not exist.</summary>
    public HashSet<long> Uncertain { get; } = [];

    /// <summary>Reads that contradicted this client's acknowledged writes.</summary>
    public long ReadAnomalies { get; private set; }

    private object ClientFilter => new { must = new[] { new { key = "client", match = new { value = index } } } };

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            int roll = random.Next(100);
            if (roll < 30) await UpsertAsync();
            else if (roll < 38) await DeleteIdsAsync();
            else if (roll < 41) await DeleteBucketAsync();
            else if (roll < 71) await SearchAsync();
            else if (roll < 81) await ScrollAsync();
            else if (roll < 91) await CountAsync();
            else await RetrieveAsync();
        }
    }

    private async Task UpsertAsync()
    {
        var batch = new Dictionary<long, int>();
        for (int k = 0; k < run.Options.Batch; k++)
        {
            bool grow = _live.Count + batch.Count < run.Options.MaxPointsPerClient && (random.Next(5) > 0 || _ids.Count == 0);
            long id = grow ? _next++ : _ids[random.Next(_ids.Count)];
            batch[id] = (_live.TryGetValue(id, out var p) ? p.Version : 0) + 1;
        }

        var points = batch.Select(p => new { id = p.Key, vector = run.VectorOf(p.Key, p.Value), payload = new { client = index, bucket = p.Key % Buckets, v = p.Value } });
        var (status, _) = await run.CallAsync("upsert", run.RandomNode(random), HttpMethod.Put, $"{run.Points}?wait=true", new { points = points.ToArray() });
        foreach (var (id, version) in batch)
        {
            if (status == 200) Set(id, version);
            else Unsure(id);
        }
    }

    private async Task DeleteIdsAsync()
    {
        if (_ids.Count == 0) return;
        var ids = Enumerable.Range(0, Math.Min(10, _ids.Count)).Select(_ => _ids[random.Next(_ids.Count)]).Distinct().ToArray();
        var (status, _) = await run.CallAsync("delete_ids", run.RandomNode(random), HttpMethod.Post, $"{run.Points}/delete?wait=true", new { points = ids });
        foreach (var id in ids)
        {
            if (status == 200) Remove(id);
            else Unsure(id);
        }
    }

    private async Task DeleteBucketAsync()
    {
        int bucket = random.Next(Buckets);
        var filter = new { must = new object[] { new { key = "client", match = new { value = index } }, new { key = "bucket", match = new { value = bucket } } } };
        var (status, _) = await run.CallAsync("delete_filter", run.RandomNode(random), HttpMethod.Post, $"{run.Points}/delete?wait=true", new { filter });
        foreach (var id in _ids.Where(id => id % Buckets == bucket).ToArray())
        {
            if (status == 200) Remove(id);
            else Unsure(id);
        }
    }

    private async Task SearchAsync()
    {
        var vector = run.VectorOf(random.NextInt64(), 0);
        object body = random.Next(2) == 0 ? new { vector, limit = 10 } : new { vector, limit = 10, filter = ClientFilter, with_payload = true };
        await run.CallAsync("search", run.RandomNode(random), HttpMethod.Post, $"{run.Points}/search", body);
    }

    private async Task ScrollAsync() =>
        await run.CallAsync("scroll", run.RandomNode(random), HttpMethod.Post, $"{run.Points}/scroll", new { limit = 50, filter = ClientFilter, with_payload = true });

    /// <summary>An exact count of this client's points must equal its model (writes are acknowledged on every active replica).</summary>
    private async Task CountAsync()
    {
        var (status, body) = await run.CallAsync("count", run.RandomNode(random), HttpMethod.Post, $"{run.Points}/count", new { exact = true, filter = ClientFilter });
        if (StressWorkload.Result(status, body) is { } result && Uncertain.Count == 0 && result.GetProperty("count").GetInt32() != _live.Count) ReadAnomalies++;
    }

    /// <summary>Retrieving some of this client's points must give each in its acknowledged version.</summary>
    private async Task RetrieveAsync()
    {
        if (_ids.Count == 0) return;
        var ids = Enumerable.Range(0, Math.Min(5, _ids.Count)).Select(_ => _ids[random.Next(_ids.Count)]).Distinct().ToArray();
        var (status, body) = await run.CallAsync("retrieve", run.RandomNode(random), HttpMethod.Post, run.Points, new { ids, with_vector = true, with_payload = true });
        if (StressWorkload.Result(status, body) is not { } points) return;
        int matched = 0;
        foreach (var p in points.EnumerateArray())
        {
            long id = p.GetProperty("id").GetInt64();
            if (_live.TryGetValue(id, out var live) && p.GetProperty("payload").GetProperty("v").GetInt32() == live.Version
                && StressWorkload.SameVector(p.GetProperty("vector"), run.VectorOf(id, live.Version))) matched++;
        }

        if (matched != ids.Length || points.GetArrayLength() != ids.Length) ReadAnomalies++;
    }

    private void Set(long id, int version)
    {
        if (_live.TryGetValue(id, out var p)) _live[id] = (version, p.Slot);
        else
        {
            _live[id] = (version, _ids.Count);
            _ids.Add(id);
        }
    }

    private void Remove(long id)
    {
        if (!_live.Remove(id, out var p)) return;
        long last = _ids[^1];
        _ids[p.Slot] = last;
        _ids.RemoveAt(_ids.Count - 1);
        if (last != id) _live[last] = (_live[last].Version, p.Slot);
    }

    /// <summary>The write's outcome is unknown: the point leaves the model for good (a late apply could still land).</summary>
    private void Unsure(long id)
    {
        Remove(id);
        Uncertain.Add(id);
    }
}
