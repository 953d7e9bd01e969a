using AspireVector.Node.Filters;
using AspireVector.Node.Points;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    private const int OrderedScrollPage = 1024;

    /// <summary>
    /// The first <paramref name="limit"/> points passing <paramref name="filter"/> in <paramref name="order"/> (ties by
    /// id, in the same direction, as Qdrant merges them), each with its <see cref="PointView.OrderValue"/>; 400 when the key has no range-capable payload index.
    /// </summary>
    /// <remarks>
    /// Ordered on the coordinator: every shard's matching points are read in id pages and ranked here, so a
    /// cluster answers exactly as one node does, at the cost of reading the whole filtered set.
    /// </remarks>
    public async Task<List<PointView>> ScrollOrderedAsync(OrderBy order, int limit, QueryFilter? filter, WithVectors withVector,
        ReadConsistency consistency = default, CancellationToken cancellationToken = default)
    {
        StrictMode.CheckLimit(Config, limit);
        string? dataType = Config.PayloadSchema[order.Key]?["data_type"]?.GetValue<string>();
        if (!OrderBy.IsRangeIndex(dataType))
            throw new CollectionException(400, $"Bad request: No range index for `order_by` key: `{order.Key}`. Please create one to use `order_by`. "
                + "Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Range conditions");
        var key = PayloadKey.Parse(order.Key);
        bool datetime = dataType == "datetime";
        var ranked = new List<(double Value, PointView Point)>();
        PointId? next = null;
        do
        {
            (var page, next) = await ScrollAsync(next, OrderedScrollPage, filter, withVector, consistency, cancellationToken).ConfigureAwait(false);
            foreach (var p in page)
            {
                if (order.ValueOf(p.Payload, key, datetime) is double value) ranked.Add((value, p));
            }
        }
        while (next is not null);

        ranked.Sort(order.Descending
            ? static (a, b) => b.Value.CompareTo(a.Value) is var c and not 0 ? c : b.Point.Id.CompareTo(a.Point.Id)
            : static (a, b) => a.Value.CompareTo(b.Value) is var c and not 0 ? c : a.Point.Id.CompareTo(b.Point.Id));
        var result = new List<PointView>(Math.Min(limit, ranked.Count));
        for (int i = 0; i < ranked.Count && i < limit; i++)
            result.Add(ranked[i].Point with { OrderValue = new OrderValue(ranked[i].Value, dataType != "float") });
        return result;
    }
}
