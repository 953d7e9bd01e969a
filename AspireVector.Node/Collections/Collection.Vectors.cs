using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>
    /// Replaces the vector of existing points, keeping their payload (Qdrant's <c>update_vectors</c>). A missing id is
    /// a 404 before anything is written; with <paramref name="updateFilter"/>, points not matching it are left alone.
    /// </summary>
    /// <remarks>
    /// Every point of this node holds exactly one (unnamed) vector, and the storage's only whole-point write is an
    /// upsert: the payloads are read first and written back with the new vectors through the ordinary upsert path
    /// (so replicas and the WAL see a plain upsert). A payload change racing with this on the same point may be lost.
    /// </remarks>
    public async Task<UpdateResult> UpdateVectorsAsync(IReadOnlyList<(PointId Id, float[] Vector)> vectors, QueryFilter? updateFilter, bool wait,
        CancellationToken cancellationToken = default, WriteOrdering ordering = WriteOrdering.Weak)
    {
        var latest = new Dictionary<PointId, float[]>();
        var order = new List<PointId>();
        foreach (var (id, vector) in vectors)
        {
            if (!latest.ContainsKey(id)) order.Add(id);
            latest[id] = vector; // the last vector given for an id wins, as a sequence of updates would
        }

        var found = await RetrieveAsync(order, withVector: false, default, cancellationToken).ConfigureAwait(false);
        var payloads = new Dictionary<PointId, PointView>(found.Count);
        foreach (var p in found) payloads[p.Id] = p;
        var points = new List<PointRecord>(order.Count);
        foreach (var id in order)
        {
            if (!payloads.TryGetValue(id, out var current)) throw CollectionException.PointNotFound(id);
            if (updateFilter is not null && !updateFilter.Predicate(id, current.Payload)) continue;
            points.Add(new PointRecord(id, latest[id], current.Payload is { } payload ? PayloadJson.Copy(payload) : null));
        }

        return points.Count == 0
            ? new UpdateResult(0, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged)
            : await UpsertAsync(points, wait, cancellationToken, ordering).ConfigureAwait(false);
    }
}
