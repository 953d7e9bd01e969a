using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Sharding;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

public static partial class PointsService
{
    /// <summary>Recommend, RecommendBatch, Discover and DiscoverBatch, through the collection calls REST's <see cref="RecommendApi"/> and <see cref="DiscoverApi"/> make.</summary>
    private static QdrantGrpcMethods MapRecommends(this QdrantGrpcMethods methods, TableOfContents toc, NodeOptions o)
    {
        methods.Unary<Q.RecommendPoints, Q.RecommendResponse>(Service, "Recommend", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            var request = Recommend(toc, c, r, r.ReadConsistency, o);
            var response = new Q.RecommendResponse();
            GrpcPoints.AddScored(response.Result, await request.RunAsync(ct).ConfigureAwait(false), request.Payload, c.Config);
            return response;
        });
        methods.Unary<Q.RecommendBatchPoints, Q.RecommendBatchResponse>(Service, "RecommendBatch", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            StrictMode.CheckSearchBatch(c.Config, r.RecommendPoints.Count);
            var requests = new List<RankedRequest>(r.RecommendPoints.Count);
            foreach (var recommend in r.RecommendPoints) requests.Add(Recommend(toc, c, recommend, r.ReadConsistency ?? recommend.ReadConsistency, o));
            var response = new Q.RecommendBatchResponse();
            await RunBatchAsync(requests, response.Result, c.Config, ct).ConfigureAwait(false);
            return response;
        });
        methods.Unary<Q.DiscoverPoints, Q.DiscoverResponse>(Service, "Discover", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            var request = Discover(toc, c, r, r.ReadConsistency, o);
            var response = new Q.DiscoverResponse();
            GrpcPoints.AddScored(response.Result, await request.RunAsync(ct).ConfigureAwait(false), request.Payload, c.Config);
            return response;
        });
        methods.Unary<Q.DiscoverBatchPoints, Q.DiscoverBatchResponse>(Service, "DiscoverBatch", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            StrictMode.CheckSearchBatch(c.Config, r.DiscoverPoints.Count);
            var requests = new List<RankedRequest>(r.DiscoverPoints.Count);
            foreach (var discover in r.DiscoverPoints) requests.Add(Discover(toc, c, discover, r.ReadConsistency ?? discover.ReadConsistency, o));
            var response = new Q.DiscoverBatchResponse();
            await RunBatchAsync(requests, response.Result, c.Config, ct).ConfigureAwait(false);
            return response;
        });
        return methods;
    }

    /// <summary>Runs requests read (validated) beforehand, in order, one <c>BatchResult</c> each.</summary>
    private static async Task RunBatchAsync(List<RankedRequest> requests, Google.Protobuf.Collections.RepeatedField<Q.BatchResult> into, CollectionConfig config, CancellationToken ct)
    {
        foreach (var request in requests)
        {
            var batch = new Q.BatchResult();
            GrpcPoints.AddScored(batch.Result, await request.RunAsync(ct).ConfigureAwait(false), request.Payload, config);
            into.Add(batch);
        }
    }

    /// <summary>A <c>RecommendPoints</c> as REST's recommend request.</summary>
    private static RankedRequest Recommend(TableOfContents toc, Collection c, Q.RecommendPoints r, Q.ReadConsistency? consistency, NodeOptions o)
    {
        var selector = GrpcShardKeys.Selector(r.ShardKeySelector);
        string name = GrpcPoints.VectorName(r.HasUsing ? r.Using : null, c.Config);
        var lookup = Lookup(toc, c, r.LookupFrom, name);
        int dimension = c.Config.Vector(name).Size;
        var search = Request(new float[dimension], name, c.Config, (long)Math.Min(r.Limit, long.MaxValue), r.HasOffset ? r.Offset : 0,
            r.HasScoreThreshold ? r.ScoreThreshold : null, r.Filter, r.Params, r.WithVectors, o);
        var request = new RecommendRequest
        {
            Positive = GrpcExamples.Recommend(r.Positive, r.PositiveVectors, dimension, "positive"),
            Negative = GrpcExamples.Recommend(r.Negative, r.NegativeVectors, dimension, "negative"),
            Strategy = GrpcExamples.Strategy(r.HasStrategy, r.Strategy),
            Search = search,
            LookupFrom = lookup,
        };
        var read = GrpcPoints.Consistency(consistency);
        return new RankedRequest((l, off, ct) => ShardKeyScope.RunAsync(c.Name, selector, () => c.RecommendAsync(request.Page(l, off), read, ct)), search.Limit, search.Offset,
            GrpcPoints.Payload(r.WithPayload, PayloadSelector.None));
    }

    /// <summary>A <c>DiscoverPoints</c> as REST's discover request (no score threshold, as in Qdrant).</summary>
    private static RankedRequest Discover(TableOfContents toc, Collection c, Q.DiscoverPoints r, Q.ReadConsistency? consistency, NodeOptions o)
    {
        var selector = GrpcShardKeys.Selector(r.ShardKeySelector);
        string name = GrpcPoints.VectorName(r.HasUsing ? r.Using : null, c.Config);
        var lookup = Lookup(toc, c, r.LookupFrom, name);
        int dimension = c.Config.Vector(name).Size;
        var search = Request(new float[dimension], name, c.Config, (long)Math.Min(r.Limit, long.MaxValue), r.HasOffset ? r.Offset : 0, null, r.Filter, r.Params, r.WithVectors, o);
        var request = new DiscoverRequest
        {
            Target = r.Target is { TargetCase: Q.TargetVector.TargetOneofCase.Single } t ? GrpcExamples.Example(t.Single, dimension, "target") : null,
            Context = GrpcExamples.Pairs(r.Context, dimension, "context"),
            Search = search,
            LookupFrom = lookup,
        };
        var read = GrpcPoints.Consistency(consistency);
        return new RankedRequest((l, off, ct) => ShardKeyScope.RunAsync(c.Name, selector, () => c.DiscoverAsync(request.Page(l, off), read, ct)), search.Limit, search.Offset,
            GrpcPoints.Payload(r.WithPayload, PayloadSelector.None));
    }

    /// <summary>
    /// The <c>lookup_from</c> of a recommend or discover request, as REST's <see cref="LookupFromReader"/> reads it for
    /// those endpoints: the unnamed vector by default, and the looked-up ids left out of the results.
    /// </summary>
    private static VectorLookup? Lookup(TableOfContents toc, Collection c, Q.LookupLocation? lookup, string usingName)
    {
        if (lookup is null) return null;
        if (lookup.ShardKeySelector is { ShardKeys.Count: > 0 }) throw CollectionException.WrongInput("`lookup_from.shard_key_selector` is not supported by this node (the source collection is read over all its shards)");
        return VectorLookup.Of(toc.Get(lookup.CollectionName), lookup.HasVectorName ? lookup.VectorName : "", c, usingName, excludeIds: true);
    }
}
