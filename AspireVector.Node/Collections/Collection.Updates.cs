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
    public Task<UpdateResult> UpsertAsync(IReadOnlyList<PointRecord> points, bool wait, CancellationToken cancellationToken = default)
    {
        if (Config.Distance == Distance.Cosine)
        {
            foreach (var p in points) Normalize(p.Vector);
        }
        if (_shards.Length == 1) return _shards[0].UpdateAsync(ShardOperation.Upsert(points), wait, cancellationToken);
        var groups = new List<PointRecord>?[_shards.Length];
        foreach (var p in points) (groups[ShardOf(p.Id)] ??= []).Add(p);
        var tasks = new List<Task<UpdateResult>>(_shards.Length);
        for (int i = 0; i < groups.Length; i++)
        {
            if (groups[i] is { } g) tasks.Add(_shards[i].UpdateAsync(ShardOperation.Upsert(g), wait, cancellationToken));
        }
        return Combine(tasks, wait);
    }

    /// <summary>
    /// Applies an id-based operation (delete or a payload change) to <paramref name="ids"/>, or to every point
    /// matching <paramref name="filter"/> (resolved inside each shard's update lock, so it is atomic per shard).
    /// A payload change naming a missing id fails with 404 before anything is written, as Qdrant reports it;
    /// deleting missing ids is not an error.
    /// </summary>
    public Task<UpdateResult> UpdateSelectedAsync(ShardOperation template, IReadOnlyList<PointId>? ids, PointPredicate? filter, bool wait, CancellationToken cancellationToken = default)
    {
        var tasks = new List<Task<UpdateResult>>(_shards.Length);
        if (ids is not null)
        {
            if (template.Kind != ShardOperationKind.Delete) EnsureExist(ids);
            var groups = new List<PointId>?[_shards.Length];
            foreach (var id in ids) (groups[ShardOf(id)] ??= []).Add(id);
            for (int i = 0; i < groups.Length; i++)
            {
                if (groups[i] is { } g) tasks.Add(_shards[i].UpdateAsync(template.WithIds(g), wait, cancellationToken));
            }
        }
        else
        {
            var predicate = filter ?? throw new ArgumentException("ids or filter required", nameof(filter));
            foreach (var shard in _shards)
                tasks.Add(shard.UpdateAsync(segment => Resolve(segment, template, predicate), wait, cancellationToken));
        }
        return tasks.Count == 0 ? Task.FromResult(new UpdateResult(0, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged)) : Combine(tasks, wait);
    }

    private void EnsureExist(IReadOnlyList<PointId> ids)
    {
        foreach (var id in ids)
        {
            var segment = _shards[ShardOf(id)].Segment;
            segment.Lock.EnterReadLock();
            try
            {
                if (!segment.TryGetOffset(id, out _)) throw CollectionException.PointNotFound(id);
            }
            finally { segment.Lock.ExitReadLock(); }
        }
    }

    private static ShardOperation? Resolve(Segment segment, ShardOperation template, PointPredicate predicate)
    {
        var matched = new List<PointId>();
        segment.Lock.EnterReadLock();
        try
        {
            foreach (var id in segment.IdsFrom(null))
            {
                segment.TryGetOffset(id, out int offset);
                if (predicate(id, segment.PayloadAt(offset))) matched.Add(id);
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
