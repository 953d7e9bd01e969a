using System.Numerics.Tensors;
using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>
    /// Upserts <paramref name="points"/> (already validated). Cosine vectors are normalised here, before the WAL,
    /// so stored and returned vectors are unit length as in Qdrant.
    /// </summary>
    public Task<UpdateResult> UpsertAsync(IReadOnlyList<PointRecord> points, bool wait, CancellationToken cancellationToken = default, WriteOrdering ordering = WriteOrdering.Weak)
    {
        NormalizeCosine(points);
        return WritePointsAsync(ShardOperation.Upsert(points), null, wait, ordering, cancellationToken);
    }

    /// <summary>Routes a point-carrying operation's points to their shards (in each selected shard key) and writes each shard's share.</summary>
    private Task<UpdateResult> WritePointsAsync(ShardOperation operation, QueryFilter? filter, bool wait, WriteOrdering ordering, CancellationToken cancellationToken)
    {
        var groups = WriteGroups();
        if (groups.Count == 1 && groups[0].Count == 1) return WriteShardAsync(groups[0][0], operation, filter, wait, ordering, cancellationToken);
        var tasks = new List<Task<UpdateResult>>();
        foreach (var (shard, points) in ByShard(groups, operation.Points, static p => p.Id))
            tasks.Add(WriteShardAsync(shard, operation.WithPoints(points), filter, wait, ordering, cancellationToken));
        return Combine(tasks, wait);
    }

    /// <summary>Normalises (in place) every vector of <paramref name="points"/> whose name has the Cosine distance.</summary>
    private void NormalizeCosine(IReadOnlyList<PointRecord> points)
    {
        if (!Config.HasNamedVectors)
        {
            if (Config.Distance != Distance.Cosine) return;
            int rows = Config.MultivectorRowSize("");
            foreach (var p in points) if (p.Vector is { } v) NormalizeRows(v, rows);
            return;
        }

        foreach (var p in points)
        {
            foreach (var (name, v) in p.Vectors)
            {
                if (Config.Vector(name).Distance == Distance.Cosine) NormalizeRows(v, Config.MultivectorRowSize(name));
            }
        }
    }

    /// <summary>
    /// Scales each row of <paramref name="vector"/> (rows of <paramref name="rowSize"/>: a multivector) to unit length,
    /// or the whole vector when <paramref name="rowSize"/> is 0 (a plain dense vector), as Qdrant's Cosine does.
    /// </summary>
    public static void NormalizeRows(Span<float> vector, int rowSize)
    {
        if (rowSize <= 0 || rowSize >= vector.Length)
        {
            Normalize(vector);
            return;
        }

        for (int r = 0; r + rowSize <= vector.Length; r += rowSize) Normalize(vector.Slice(r, rowSize));
    }

    /// <summary>
    /// Applies an id-based operation (delete or a payload change) to <paramref name="ids"/>, or to every point
    /// matching <paramref name="filter"/> (resolved inside each shard's update lock, so it is atomic per shard).
    /// A payload change naming a missing id fails with 404 before anything is written, as Qdrant reports it;
    /// deleting missing ids is not an error.
    /// </summary>
    public async Task<UpdateResult> UpdateSelectedAsync(ShardOperation template, IReadOnlyList<PointId>? ids, QueryFilter? filter, bool wait, CancellationToken cancellationToken = default, WriteOrdering ordering = WriteOrdering.Weak)
    {
        var groups = WriteGroups();
        var tasks = new List<Task<UpdateResult>>();
        if (ids is not null)
        {
            if (template.Kind != ShardOperationKind.Delete) await EnsureExistAsync(ids, cancellationToken).ConfigureAwait(false);
            foreach (var (shard, g) in ByShard(groups, ids, static id => id))
                tasks.Add(WriteShardAsync(shard, template.WithIds(g), null, wait, ordering, cancellationToken));
        }
        else
        {
            var selection = filter ?? throw new ArgumentException("ids or filter required", nameof(filter));
            foreach (var group in groups)
            {
                foreach (uint shard in group) tasks.Add(WriteShardAsync(shard, template, selection, wait, ordering, cancellationToken));
            }
        }

        return tasks.Count == 0 ? new UpdateResult(0, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged) : await Combine(tasks, wait).ConfigureAwait(false);
    }

    /// <summary>Payload changes address existing points only: a missing id is a 404 and nothing is written.</summary>
    private async Task EnsureExistAsync(IReadOnlyList<PointId> ids, CancellationToken cancellationToken)
    {
        var found = await RetrieveAsync(ids, withVector: false, default, cancellationToken).ConfigureAwait(false);
        if (found.Count == ids.Distinct().Count()) return;
        var present = found.Select(p => p.Id).ToHashSet();
        foreach (var id in ids)
        {
            if (!present.Contains(id)) throw CollectionException.PointNotFound(id);
        }
    }

    private static ShardOperation? Resolve(Segment segment, ShardOperation template, PointPredicate predicate)
    {
        var matched = new List<PointId>();
        segment.Lock.EnterReadLock();
        try
        {
            if (template.CarriesPoints)
            {
                // The points given, restricted to the stored ones the filter accepts (update_vectors' update_filter).
                var kept = new List<PointRecord>(template.Points.Count);
                foreach (var p in template.Points)
                {
                    if (segment.TryGetOffset(p.Id, out int at) && predicate(p.Id, segment.PayloadAt(at), segment, at)) kept.Add(p);
                }

                return kept.Count == 0 ? null : template.WithPoints(kept);
            }

            foreach (var id in segment.IdsFrom(null))
            {
                segment.TryGetOffset(id, out int offset);
                if (predicate(id, segment.PayloadAt(offset), segment, offset)) matched.Add(id);
            }
        }
        finally { segment.Lock.ExitReadLock(); }
        return matched.Count == 0 ? null : template.WithIds(matched);
    }

    private static async Task<UpdateResult> Combine(List<Task<UpdateResult>> tasks, bool wait)
    {
        ulong op = 0;
        foreach (var r in await Task.WhenAll(tasks).ConfigureAwait(false)) op = Math.Max(op, r.OperationId);
        return new UpdateResult(op, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged);
    }

    /// <summary>Scales <paramref name="vector"/> to unit length (left as is when it is all zeros).</summary>
    public static void Normalize(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0 && MathF.Abs(norm - 1f) > 1e-7f) TensorPrimitives.Divide(vector, norm, vector);
    }
}
