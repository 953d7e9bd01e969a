using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

public static partial class PointsService
{
    /// <summary>Get, Scroll and Count.</summary>
    private static QdrantGrpcMethods MapReads(this QdrantGrpcMethods methods, TableOfContents toc, NodeOptions o)
    {
        methods.Unary<Q.GetPoints, Q.GetResponse>(Service, "Get", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
            var ids = GrpcPoints.Ids(r.Ids, "ids");
            var payload = GrpcPoints.Payload(r.WithPayload, PayloadSelector.All);
            var points = await c.RetrieveAsync(ids, GrpcPoints.WithVectors(r.WithVectors, c.Config), GrpcPoints.Consistency(r.ReadConsistency), ct).ConfigureAwait(false);
            var response = new Q.GetResponse();
            foreach (var p in points) response.Result.Add(GrpcPoints.Retrieved(p, payload, c.Config));
            return response;
        });
        methods.Unary<Q.ScrollPoints, Q.ScrollResponse>(Service, "Scroll", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
            var filter = GrpcFilters.Read(r.Filter);
            int limit = r.HasLimit ? PointsReader.CheckCount(r.Limit, "limit", 1, o.Service.MaxSearchLimit) : 10;
            var offset = r.Offset is null ? (Points.PointId?)null : GrpcPoints.Id(r.Offset, "offset");
            var payload = GrpcPoints.Payload(r.WithPayload, PayloadSelector.All);
            var withVectors = GrpcPoints.WithVectors(r.WithVectors, c.Config);
            List<PointView> points;
            Points.PointId? next = null;
            StrictMode.CheckLimit(c.Config, limit);
            if (r.OrderBy is { } orderBy)
            {
                // Read by REST's reader from REST's shape, so both APIs accept and refuse the same orderings.
                using var json = GrpcQueries.Document(GrpcQueries.OrderBy(orderBy));
                var order = OrderByReader.Read(json.RootElement, "order_by");
                if (offset is not null) throw PointsApi.OffsetWithOrderBy();
                points = await c.ScrollOrderedAsync(order, limit, filter, withVectors, GrpcPoints.Consistency(r.ReadConsistency), ct).ConfigureAwait(false);
            }
            else (points, next) = await c.ScrollAsync(offset, limit, filter, withVectors, GrpcPoints.Consistency(r.ReadConsistency), ct).ConfigureAwait(false);
            var response = new Q.ScrollResponse();
            foreach (var p in points) response.Result.Add(GrpcPoints.Retrieved(p, payload, c.Config));
            if (next is { } n) response.NextPageOffset = GrpcPoints.ToGrpc(n);
            return response;
        });
        methods.Unary<Q.CountPoints, Q.CountResponse>(Service, "Count", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
            // Counts are always exact here, whatever `exact` asks.
            long count = await c.CountAsync(GrpcFilters.Read(r.Filter), GrpcPoints.Consistency(r.ReadConsistency), ct).ConfigureAwait(false);
            return new Q.CountResponse { Result = new Q.CountResult { Count = (ulong)count } };
        });
        return methods;
    }
}
