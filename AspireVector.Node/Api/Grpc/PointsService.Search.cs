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
    /// <summary>Search, SearchBatch, Query and QueryBatch, as REST's <see cref="SearchApi"/> serves them.</summary>
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
            StrictMode.CheckSearchBatch(c.Config, r.SearchPoints.Count);
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
            await QueryAsync(toc, toc.Get(r.CollectionName), r, r.ReadConsistency, o, response.Result, ct).ConfigureAwait(false);
            return response;
        });
        methods.Unary<Q.QueryBatchPoints, Q.QueryBatchResponse>(Service, "QueryBatch", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            StrictMode.CheckSearchBatch(c.Config, r.QueryPoints.Count);
            var response = new Q.QueryBatchResponse();
            foreach (var query in r.QueryPoints)
            {
                var batch = new Q.BatchResult();
                await QueryAsync(toc, c, query, r.ReadConsistency ?? query.ReadConsistency, o, batch.Result, ct).ConfigureAwait(false);
                response.Result.Add(batch);
            }
            return response;
        });
        return methods;
    }

    private static async Task SearchAsync(Collection c, Q.SearchPoints r, Q.ReadConsistency? consistency, NodeOptions o,
        Google.Protobuf.Collections.RepeatedField<Q.ScoredPoint> into, CancellationToken ct)
    {
        using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
        string name = GrpcPoints.VectorName(r.HasVectorName ? r.VectorName : null, c.Config);
        float[] vector = [];
        Index.Sparse.SparseVector? sparse = null;
        if (c.Config.IsSparse(name))
        {
            // A sparse query is `sparse_indices` with the weights in `vector`, as Qdrant's clients send it.
            if (r.SparseIndices is null) throw CollectionException.WrongInput($"vector `{name}` is sparse: the query needs `sparse_indices`");
            sparse = GrpcPoints.Sparse(r.SparseIndices.Data, r.Vector, "vector");
        }
        else
        {
            if (r.SparseIndices is not null) throw CollectionException.WrongInput($"`sparse_indices` given for the dense vector `{name}`");
            vector = GrpcPoints.Checked(r.Vector, c.Config.Vector(name).Size, "vector");
        }

        var request = Request(vector, name, c.Config, (long)Math.Min(r.Limit, long.MaxValue), r.HasOffset ? r.Offset : 0, r.HasScoreThreshold ? r.ScoreThreshold : null,
            r.Filter, r.Params, r.WithVectors, o, sparse);
        var hits = await c.SearchAsync(request, null, GrpcPoints.Consistency(consistency), ct).ConfigureAwait(false);
        GrpcPoints.AddScored(into, hits, GrpcPoints.Payload(r.WithPayload, PayloadSelector.None), c.Config);
    }

    private static async Task QueryAsync(TableOfContents toc, Collection c, Q.QueryPoints r, Q.ReadConsistency? consistency, NodeOptions o,
        Google.Protobuf.Collections.RepeatedField<Q.ScoredPoint> into, CancellationToken ct)
    {
        using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
        var request = await QueryRankingAsync(toc, c, GrpcQueries.ToJson(r), r.WithPayload, consistency, o, ct).ConfigureAwait(false);
        GrpcPoints.AddScored(into, await request.RunAsync(ct).ConfigureAwait(false), request.Payload, c.Config);
    }

    private static SearchRequest Request(float[] vector, string vectorName, CollectionConfig config, long limit, ulong offset, float? threshold, Q.Filter? filter, Q.SearchParams? p,
        Q.WithVectorsSelector? withVectors, NodeOptions o, Index.Sparse.SparseVector? sparse = null)
    {
        if (threshold is { } t && !float.IsFinite(t)) throw CollectionException.BadJson($"invalid type for `score_threshold`: expected a number, got {t}");
        return new SearchRequest
        {
            Vector = vector,
            Sparse = sparse,
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
