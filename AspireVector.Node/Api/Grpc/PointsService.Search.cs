using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Sharding;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

public static partial class PointsService
{
    /// <summary>Search, SearchBatch, Query and QueryBatch: nearest neighbours, as REST's <see cref="SearchApi"/> serves them.</summary>
    private static QdrantGrpcMethods MapSearches(this QdrantGrpcMethods methods, TableOfContents toc, NodeOptions o)
    {
        methods.Unary<Q.SearchPoints, Q.SearchResponse>(Service, "Search", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var response = new Q.SearchResponse();
            await SearchAsync(toc.Get(r.CollectionName), r, r.ReadConsistency, o, response.Result, ct).ConfigureAwait(false);
            return response;
        });
        methods.Unary<Q.SearchBatchPoints, Q.SearchBatchResponse>(Service, "SearchBatch", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            var response = new Q.SearchBatchResponse();
            foreach (var search in r.SearchPoints)
            {
                var batch = new Q.BatchResult();
                await SearchAsync(c, search, r.ReadConsistency ?? search.ReadConsistency, o, batch.Result, ct).ConfigureAwait(false);
                response.Result.Add(batch);
            }
            return response;
        });
        methods.Unary<Q.QueryPoints, Q.QueryResponse>(Service, "Query", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var response = new Q.QueryResponse();
            await QueryAsync(toc.Get(r.CollectionName), r, r.ReadConsistency, o, response.Result, ct).ConfigureAwait(false);
            return response;
        });
        methods.Unary<Q.QueryBatchPoints, Q.QueryBatchResponse>(Service, "QueryBatch", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            var response = new Q.QueryBatchResponse();
            foreach (var query in r.QueryPoints)
            {
                var batch = new Q.BatchResult();
                await QueryAsync(c, query, r.ReadConsistency ?? query.ReadConsistency, o, batch.Result, ct).ConfigureAwait(false);
                response.Result.Add(batch);
            }
            return response;
        });
        return methods;
    }

    private static async Task SearchAsync(Collection c, Q.SearchPoints r, Q.ReadConsistency? consistency, NodeOptions o,
        Google.Protobuf.Collections.RepeatedField<Q.ScoredPoint> into, CancellationToken ct)
    {
        Unsharded(r.ShardKeySelector);
        string name = GrpcPoints.VectorName(r.HasVectorName ? r.VectorName : null, c.Config);
        if (r.SparseIndices is not null) throw CollectionException.WrongInput("only dense vectors are supported by this node (at `sparse_indices`)");
        var vector = GrpcPoints.Checked(r.Vector, c.Config.Vector(name).Size, "vector");
        var request = Request(vector, name, c.Config, (long)Math.Min(r.Limit, long.MaxValue), r.HasOffset ? r.Offset : 0, r.HasScoreThreshold ? r.ScoreThreshold : null,
            r.Filter, r.Params, r.WithVectors, o);
        var hits = await c.SearchAsync(request, null, GrpcPoints.Consistency(consistency), ct).ConfigureAwait(false);
        GrpcPoints.AddScored(into, hits, GrpcPoints.Payload(r.WithPayload, PayloadSelector.None));
    }

    private static async Task QueryAsync(Collection c, Q.QueryPoints r, Q.ReadConsistency? consistency, NodeOptions o,
        Google.Protobuf.Collections.RepeatedField<Q.ScoredPoint> into, CancellationToken ct)
    {
        Unsharded(r.ShardKeySelector);
        var payload = GrpcPoints.Payload(r.WithPayload, PayloadSelector.None);
        string name = GrpcPoints.VectorName(r.HasUsing ? r.Using : null, c.Config);
        // Refused rather than ignored, as REST refuses them: answering without them would return different results.
        if (r.Prefetch.Count > 0) throw CollectionException.WrongInput("`prefetch` is not supported by this node yet; send plain nearest-neighbour queries");
        if (r.LookupFrom is not null) throw CollectionException.WrongInput("`lookup_from` is not supported by this node yet; send plain nearest-neighbour queries");
        var read = GrpcPoints.Consistency(consistency);
        long limit = r.HasLimit ? (long)Math.Min(r.Limit, long.MaxValue) : 10;
        if (r.Query is null)
        {
            // No query: points in id order, as Qdrant's query API does (score 0).
            int pageLimit = PointsReader.CheckCount(limit, "limit", 1, o.Service.MaxSearchLimit);
            int offset = r.HasOffset ? PointsReader.CheckCount((long)Math.Min(r.Offset, long.MaxValue), "offset", 0, o.Service.MaxSearchLimit) : 0;
            var (points, _) = await c.ScrollAsync(null, offset + pageLimit, GrpcFilters.Read(r.Filter), GrpcPoints.WithVectors(r.WithVectors, c.Config), read, ct).ConfigureAwait(false);
            foreach (var p in points.Skip(offset)) into.Add(GrpcPoints.Scored(p with { Score = 0f }, payload));
            return;
        }
        if (r.Query.VariantCase != Q.Query.VariantOneofCase.Nearest)
            throw CollectionException.WrongInput("only nearest-neighbour queries (a vector, a point id or {\"nearest\": ..}) are supported by this node");
        PointId? exclude = null;
        float[] vector;
        var nearest = r.Query.Nearest;
        switch (nearest.VariantCase)
        {
            case Q.VectorInput.VariantOneofCase.Dense:
                vector = GrpcPoints.Checked(nearest.Dense.Data, c.Config.Vector(name).Size, "query");
                break;
            case Q.VectorInput.VariantOneofCase.Id:
                var id = GrpcPoints.Id(nearest.Id, "query");
                vector = await c.VectorOfAsync(id, name, ct).ConfigureAwait(false) ?? throw CollectionException.PointNotFound(id);
                exclude = id;
                break;
            default:
                throw CollectionException.WrongInput("only dense vectors and point ids are supported as `query.nearest` by this node");
        }
        var request = Request(vector, name, c.Config, limit, r.HasOffset ? r.Offset : 0, r.HasScoreThreshold ? r.ScoreThreshold : null, r.Filter, r.Params, r.WithVectors, o);
        var hits = await c.SearchAsync(request, exclude, read, ct).ConfigureAwait(false);
        GrpcPoints.AddScored(into, hits, payload);
    }

    private static SearchRequest Request(float[] vector, string vectorName, CollectionConfig config, long limit, ulong offset, float? threshold, Q.Filter? filter, Q.SearchParams? p,
        Q.WithVectorsSelector? withVectors, NodeOptions o)
    {
        if (threshold is { } t && !float.IsFinite(t)) throw CollectionException.BadJson($"invalid type for `score_threshold`: expected a number, got {t}");
        return new SearchRequest
        {
            Vector = vector,
            VectorName = vectorName,
            Limit = PointsReader.CheckCount(limit, "limit", 1, o.Service.MaxSearchLimit),
            Offset = PointsReader.CheckCount((long)Math.Min(offset, long.MaxValue), "offset", 0, o.Service.MaxSearchLimit),
            ScoreThreshold = threshold,
            Filter = GrpcFilters.Read(filter),
            Params = Params(p),
            WithVector = GrpcPoints.WithVectors(withVectors, config),
        };
    }

    private static Index.SearchParams Params(Q.SearchParams? p)
    {
        if (p is null) return Index.SearchParams.Default;
        if (p.HasHnswEf && p.HnswEf > int.MaxValue) throw CollectionException.BadJson($"invalid value for `params.hnsw_ef`: {p.HnswEf}");
        var q = p.Quantization;
        return new Index.SearchParams
        {
            HnswEf = p.HasHnswEf ? (int)p.HnswEf : null,
            Exact = p.HasExact && p.Exact,
            IgnoreQuantization = q is { HasIgnore: true, Ignore: true },
            Rescore = q is { HasRescore: true } ? q.Rescore : null,
            Oversampling = q is { HasOversampling: true } ? q.Oversampling : null,
        };
    }
}
