using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>Points with the given ids, in request order, skipping missing ones (as Qdrant does).</summary>
    public async Task<List<PointView>> RetrieveAsync(IReadOnlyList<PointId> ids, WithVectors withVector, ReadConsistency consistency = default, CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<PointId>();
        var distinct = new List<PointId>(ids.Count);
        foreach (var id in ids) if (seen.Add(id)) distinct.Add(id);

        var tasks = new List<Task<ShardReadResult>>();
        foreach (var (shard, g) in ByShard(ReadGroups(), distinct, static id => id))
            tasks.Add(ReadShardAsync(shard, new ShardReadRequest { Kind = ShardReadKind.Retrieve, Ids = g, WithVector = withVector }, consistency, cancellationToken));

        var found = new Dictionary<PointId, PointView>();
        foreach (var r in await Task.WhenAll(tasks).ConfigureAwait(false))
        {
            foreach (var p in r.Points) found[p.Id] = p;
        }

        var result = new List<PointView>(found.Count);
        seen.Clear();
        foreach (var id in ids)
        {
            if (seen.Add(id) && found.TryGetValue(id, out var p)) result.Add(p);
        }

        return result;
    }

    /// <summary>
    /// The stored vector <paramref name="name"/> of <paramref name="id"/>, or null when the point does not exist; 404
    /// when it exists without that vector.
    /// </summary>
    public async Task<float[]?> VectorOfAsync(PointId id, string name = "", ReadConsistency consistency = default, CancellationToken cancellationToken = default)
    {
        var found = await RetrieveAsync([id], new WithVectors(true, [name]), consistency, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0) return null;
        return found[0].VectorNamed(name) ?? throw MissingVector(name);
    }

    /// <summary>
    /// The stored sparse vector <paramref name="name"/> of <paramref name="id"/>, or null when the point does not exist;
    /// 404 when it exists without that vector (see <see cref="MissingVector"/>).
    /// </summary>
    public async Task<Index.Sparse.SparseVector?> SparseVectorOfAsync(PointId id, string name, ReadConsistency consistency = default, CancellationToken cancellationToken = default)
    {
        var found = await RetrieveAsync([id], new WithVectors(true, [name]), consistency, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0) return null;
        return found[0].Sparse?.GetValueOrDefault(name) ?? throw MissingVector(name);
    }

    /// <summary>
    /// 404 for a point used as an example or query that does not hold the vector searched, in Qdrant's words (which
    /// quote the vector name as Rust's Debug does and do not name the point).
    /// </summary>
    internal static CollectionException MissingVector(string name) =>
        new(404, $"Not found: Vector with name \"{name.Replace("\\", "\\\\").Replace("\"", "\\\"")}\" for point");

    /// <summary>
    /// A page of points in id order starting at <paramref name="offset"/>; also returns the id the next page
    /// starts at (null at the end).
    /// </summary>
    public async Task<(List<PointView> Points, PointId? NextOffset)> ScrollAsync(PointId? offset, int limit, QueryFilter? filter, WithVectors withVector,
        ReadConsistency consistency = default, CancellationToken cancellationToken = default)
    {
        StrictMode.CheckReadFilter(Config, filter); // the limit is checked by the API: ordered scrolls and matrices page internally
        var request = new ShardReadRequest { Kind = ShardReadKind.Scroll, Offset = offset, Limit = limit + 1, Filter = filter, WithVector = withVector };
        var merged = new List<PointView>();
        foreach (var r in await ReadAllShardsAsync(request, consistency, cancellationToken).ConfigureAwait(false)) merged.AddRange(r.Points);
        merged.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        // Custom sharding lets one id live under several keys: a page lists it once, as Qdrant's does.
        if (Config.IsCustomSharding) merged = DistinctById(merged);
        PointId? next = null;
        if (merged.Count > limit)
        {
            next = merged[limit].Id;
            merged.RemoveRange(limit, merged.Count - limit);
        }

        return (merged, next);
    }

    /// <summary>Number of points passing <paramref name="filter"/> (all points when null).</summary>
    public async Task<long> CountAsync(QueryFilter? filter, ReadConsistency consistency = default, CancellationToken cancellationToken = default)
    {
        StrictMode.CheckReadFilter(Config, filter);
        long n = 0;
        var request = new ShardReadRequest { Kind = ShardReadKind.Count, Filter = filter };
        foreach (var r in await ReadAllShardsAsync(request, consistency, cancellationToken).ConfigureAwait(false)) n += r.Count;
        return n;
    }

    /// <summary>Points and indexed vectors over the whole collection (one readable replica per shard).</summary>
    public async Task<(long Points, long Indexed)> CountAllAsync(CancellationToken cancellationToken = default)
    {
        long points = 0, indexed = 0;
        var request = new ShardReadRequest { Kind = ShardReadKind.Count };
        foreach (var r in await ReadAllShardsAsync(request, ReadConsistency.Default, cancellationToken).ConfigureAwait(false))
        {
            points += r.Count;
            indexed += r.IndexedCount;
        }

        return (points, indexed);
    }

    /// <summary>
    /// Nearest neighbours of <paramref name="request"/>'s vector over all shards, best first, after offset and
    /// score threshold. <paramref name="exclude"/> drops one id (the query point of a query-by-id).
    /// </summary>
    public async Task<List<PointView>> SearchAsync(SearchRequest request, PointId? exclude = null, ReadConsistency consistency = default, CancellationToken cancellationToken = default)
    {
        StrictMode.CheckSearch(Config, request);
        float[]? dense = null;
        Index.Sparse.SparseVector? sparse = null;
        if (Config.IsSparse(request.VectorName))
        {
            // A sparse query scores the points sharing a dimension with it: a dot product, IDF weighted per shard when
            // the vector's modifier is `idf` (Qdrant weights it per shard too); higher is better, as for Dot.
            sparse = request.Sparse ?? throw CollectionException.WrongInput($"vector `{request.VectorName}` is sparse: the query must be a sparse vector ({{\"indices\": [..], \"values\": [..]}})");
        }
        else
        {
            var vector = Config.Vector(request.VectorName);
            CheckQueryVector(vector, request.Vector);
            dense = request.Vector;
            if (vector.Distance == Distance.Cosine)
            {
                dense = (float[])dense.Clone();
                NormalizeRows(dense, vector.Multivector ? vector.Size : 0);
            }
        }

        var shardRequest = new ShardReadRequest
        {
            Kind = ShardReadKind.Search,
            Vector = dense,
            Sparse = sparse,
            Limit = request.Offset + request.Limit,
            ScoreThreshold = request.ScoreThreshold,
            Params = request.Params,
            Exclude = exclude,
            ExcludeIds = request.ExcludeIds,
            Filter = request.Filter,
            WithVector = request.WithVector,
            VectorName = request.VectorName,
        };
        var distance = Config.ScoreDistance(request.VectorName);
        return await RankedPageAsync(shardRequest, points => SortByScore(points, distance), request.Offset, request.Limit, consistency, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a query vector's size against <paramref name="vector"/>: its size, or for a multivector one or more whole
    /// rows of it (flattened; a plain vector is a one-row query, as in Qdrant).
    /// </summary>
    internal static void CheckQueryVector(VectorParams vector, float[] query)
    {
        bool fits = vector.Multivector ? query.Length > 0 && query.Length % vector.Size == 0 : query.Length == vector.Size;
        if (!fits) throw CollectionException.WrongInput($"Vector dimension error: expected dim: {vector.Size}, got {query.Length}");
    }

    /// <summary>Every shard's best <c>offset + limit</c> hits merged by <paramref name="sort"/>, then the page asked for.</summary>
    private async Task<List<PointView>> RankedPageAsync(ShardReadRequest request, Action<List<PointView>> sort, int offset, int limit, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        var merged = new List<PointView>();
        foreach (var r in await ReadAllShardsAsync(request, consistency, cancellationToken).ConfigureAwait(false)) merged.AddRange(r.Points);
        sort(merged);
        int skip = Math.Min(offset, merged.Count);
        return merged.GetRange(skip, Math.Min(limit, merged.Count - skip));
    }

    private static void SortByScore(List<PointView> points, Distance distance) => points.Sort(distance is Distance.Cosine or Distance.Dot
        ? static (a, b) => b.Score!.Value.CompareTo(a.Score!.Value) is var c and not 0 ? c : a.Id.CompareTo(b.Id)
        : static (a, b) => a.Score!.Value.CompareTo(b.Score!.Value) is var c and not 0 ? c : a.Id.CompareTo(b.Id));

    /// <summary>Runs <paramref name="request"/> on every shard the request covers (all, or its shard keys').</summary>
    private Task<ShardReadResult[]> ReadAllShardsAsync(ShardReadRequest request, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        var shards = ReadShardIds();
        var tasks = new Task<ShardReadResult>[shards.Count];
        for (int i = 0; i < tasks.Length; i++) tasks[i] = ReadShardAsync(shards[i], request, consistency, cancellationToken);
        return Task.WhenAll(tasks);
    }

    /// <summary>The first of each run of equal ids in an id-sorted list.</summary>
    private static List<PointView> DistinctById(List<PointView> sorted)
    {
        var kept = new List<PointView>(sorted.Count);
        foreach (var p in sorted) if (kept.Count == 0 || kept[^1].Id != p.Id) kept.Add(p);
        return kept;
    }
}
