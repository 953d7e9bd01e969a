using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>
    /// Replaces the given named vectors of existing points, keeping their other vectors and their payload (Qdrant's
    /// <c>update_vectors</c>). A missing id is a 404 before anything is written; with <paramref name="updateFilter"/>,
    /// points not matching it are left alone.
    /// </summary>
    /// <remarks>
    /// One shard operation per shard, applied under the shard's update lock (the filter resolved there too), so it
    /// touches only the vectors it names: a payload change racing with it on the same point is never lost.
    /// </remarks>
    public async Task<UpdateResult> UpdateVectorsAsync(IReadOnlyList<PointRecord> vectors, QueryFilter? updateFilter, bool wait,
        CancellationToken cancellationToken = default, WriteOrdering ordering = WriteOrdering.Weak)
    {
        var merged = new Dictionary<PointId, (Dictionary<string, float[]> Dense, Dictionary<string, SparseVector> Sparse)>();
        var order = new List<PointId>();
        foreach (var p in vectors)
        {
            if (!merged.TryGetValue(p.Id, out var maps))
            {
                merged[p.Id] = maps = (new Dictionary<string, float[]>(StringComparer.Ordinal), new Dictionary<string, SparseVector>(StringComparer.Ordinal));
                order.Add(p.Id);
            }

            // The last vector given for a name wins.
            foreach (var (name, vector) in p.Vectors) maps.Dense[name] = vector;
            foreach (var (name, vector) in p.Sparse) maps.Sparse[name] = vector;
        }

        await EnsureExistAsync(order, cancellationToken).ConfigureAwait(false);
        var points = new List<PointRecord>(order.Count);
        foreach (var id in order) points.Add(new PointRecord(id, merged[id].Dense, null) { Sparse = merged[id].Sparse });
        NormalizeCosine(points);
        return await WritePointsAsync(ShardOperation.UpdateVectors(points), updateFilter, wait, ordering, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the vectors named <paramref name="names"/> from the points <paramref name="ids"/> (or those matching
    /// <paramref name="filter"/>); the points stay, with their other vectors and payload (Qdrant's <c>delete_vectors</c>).
    /// </summary>
    public Task<UpdateResult> DeleteVectorsAsync(IReadOnlyList<string> names, IReadOnlyList<PointId>? ids, QueryFilter? filter, bool wait,
        CancellationToken cancellationToken = default, WriteOrdering ordering = WriteOrdering.Weak)
    {
        foreach (var name in names) Config.RequireVectorName(name);
        var template = new ShardOperation { Kind = ShardOperationKind.DeleteVectors, VectorNames = names };
        return UpdateSelectedAsync(template, ids, filter, wait, cancellationToken, ordering);
    }

    /// <summary>
    /// A filter that also requires the vector <paramref name="name"/> (for reads that only make sense on points holding
    /// it, like the distance matrix).
    /// </summary>
    private static QueryFilter WithVectorRequired(QueryFilter? filter, string name)
    {
        string hasVector = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["has_vector"] = name });
        return QueryFilter.Parse(filter is null ? $$"""{"must":[{{hasVector}}]}""" : $$"""{"must":[{{hasVector}},{{filter.Json}}]}""");
    }
}
