using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Points;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

public static partial class PointsService
{
    /// <summary>The parts of <c>QueryPoints</c> and <c>QueryPointGroups</c> that say how points are ranked.</summary>
    private sealed record QueryShape(Q.Query? Query, string? Using, int Prefetches, Q.LookupLocation? LookupFrom, Q.Filter? Filter, Q.SearchParams? Params,
        float? ScoreThreshold, Q.WithVectorsSelector? WithVectors, long Limit, ulong Offset, Q.ReadConsistency? Consistency, PayloadSelector Payload)
    {
        public static QueryShape Of(Q.QueryPoints r, Q.ReadConsistency? consistency) => new(r.Query, r.HasUsing ? r.Using : null, r.Prefetch.Count, r.LookupFrom,
            r.Filter, r.Params, r.HasScoreThreshold ? r.ScoreThreshold : null, r.WithVectors, r.HasLimit ? (long)Math.Min(r.Limit, long.MaxValue) : 10,
            r.HasOffset ? r.Offset : 0, consistency, GrpcPoints.Payload(r.WithPayload, PayloadSelector.None));

        public static QueryShape Of(Q.QueryPointGroups r) => new(r.Query, r.HasUsing ? r.Using : null, r.Prefetch.Count, r.LookupFrom,
            r.Filter, r.Params, r.HasScoreThreshold ? r.ScoreThreshold : null, r.WithVectors, r.HasLimit ? (long)Math.Min(r.Limit, long.MaxValue) : 10,
            0, r.ReadConsistency, GrpcPoints.Payload(r.WithPayload, PayloadSelector.None));
    }

    /// <summary>
    /// A query as REST's <see cref="SearchApi.ReadQueryAsync"/> reads it: no query (points in id order, score 0), nearest
    /// (a vector, or a point id: its vector, the point left out), recommend, discover or context.
    /// </summary>
    private static async Task<RankedRequest> QueryRankingAsync(Collection c, QueryShape q, NodeOptions o, CancellationToken ct)
    {
        string name = GrpcPoints.VectorName(q.Using, c.Config);
        // Refused rather than ignored, as REST refuses them: answering without them would return different results.
        if (q.Prefetches > 0) throw CollectionException.WrongInput("`prefetch` is not supported by this node yet; send plain nearest-neighbour queries");
        RefuseLookupFrom(q.LookupFrom);
        var read = GrpcPoints.Consistency(q.Consistency);
        // A sparse vector has no dimension: only nearest queries take it (the others refuse it with a clear 400).
        int Dimension() => c.Config.Vector(name).Size;
        if (q.Query is null)
        {
            int limit = PointsReader.CheckCount(q.Limit, "limit", 1, o.Service.MaxSearchLimit);
            int offset = PointsReader.CheckCount((long)Math.Min(q.Offset, long.MaxValue), "offset", 0, o.Service.MaxSearchLimit);
            var filter = GrpcFilters.Read(q.Filter);
            var withVector = GrpcPoints.WithVectors(q.WithVectors, c.Config);
            return new RankedRequest(async (l, off, token) =>
            {
                var (points, _) = await c.ScrollAsync(null, off + l, filter, withVector, read, token).ConfigureAwait(false);
                return points.Skip(off).Select(p => p with { Score = 0f }).ToList();
            }, limit, offset, q.Payload);
        }

        SearchRequest Search(float[] vector, Index.Sparse.SparseVector? sparse = null) =>
            Request(vector, name, c.Config, q.Limit, q.Offset, q.ScoreThreshold, q.Filter, q.Params, q.WithVectors, o, sparse);
        switch (q.Query.VariantCase)
        {
            case Q.Query.VariantOneofCase.Nearest when c.Config.IsSparse(name):
            {
                var input = q.Query.Nearest;
                PointId? exclude = null;
                Index.Sparse.SparseVector sparse;
                switch (input.VariantCase)
                {
                    case Q.VectorInput.VariantOneofCase.Sparse:
                        sparse = GrpcPoints.Sparse(input.Sparse.Indices, input.Sparse.Values, "query.nearest");
                        break;
                    case Q.VectorInput.VariantOneofCase.Id:
                        var id = GrpcPoints.Id(input.Id, "query.nearest");
                        sparse = await c.SparseVectorOfAsync(id, name, ct).ConfigureAwait(false) ?? throw CollectionException.PointNotFound(id);
                        exclude = id;
                        break;
                    default:
                        throw CollectionException.WrongInput($"`query.nearest`: vector `{name}` is sparse, expected a sparse vector or a point id");
                }

                var search = Search([], sparse);
                return new RankedRequest((l, off, token) => c.SearchAsync(search.Page(l, off), exclude, read, token), search.Limit, search.Offset, q.Payload);
            }
            case Q.Query.VariantOneofCase.Nearest:
            {
                var example = GrpcExamples.Example(q.Query.Nearest, Dimension(), "query.nearest");
                PointId? exclude = example.Id;
                var vector = example.Vector ?? await c.VectorOfAsync(example.Id!.Value, name, ct).ConfigureAwait(false) ?? throw CollectionException.PointNotFound(example.Id!.Value);
                var search = Search(vector);
                return new RankedRequest((l, off, token) => c.SearchAsync(search.Page(l, off), exclude, read, token), search.Limit, search.Offset, q.Payload);
            }
            case Q.Query.VariantOneofCase.Recommend:
            {
                int dimension = Dimension();
                var input = q.Query.Recommend;
                var request = new RecommendRequest
                {
                    Positive = GrpcExamples.Examples(input.Positive, dimension, "query.recommend.positive"),
                    Negative = GrpcExamples.Examples(input.Negative, dimension, "query.recommend.negative"),
                    Strategy = GrpcExamples.Strategy(input.HasStrategy, input.Strategy),
                    Search = Search(new float[dimension]),
                };
                return new RankedRequest((l, off, token) => c.RecommendAsync(request.Page(l, off), read, token), request.Search.Limit, request.Search.Offset, q.Payload);
            }
            case Q.Query.VariantOneofCase.Discover or Q.Query.VariantOneofCase.Context:
            {
                int dimension = Dimension();
                bool discover = q.Query.VariantCase == Q.Query.VariantOneofCase.Discover;
                string at = discover ? "query.discover.context" : "query.context";
                var context = GrpcExamples.Pairs(discover ? q.Query.Discover.Context : q.Query.Context, dimension, at);
                if (!discover && context.Count == 0) throw CollectionException.WrongInput($"`{at}` needs at least one {{\"positive\", \"negative\"}} pair");
                var request = new DiscoverRequest
                {
                    Target = discover ? GrpcExamples.Example(q.Query.Discover.Target, dimension, "query.discover.target") : null,
                    Context = context,
                    Search = Search(new float[dimension]),
                };
                return new RankedRequest((l, off, token) => c.DiscoverAsync(request.Page(l, off), read, token), request.Search.Limit, request.Search.Offset, q.Payload);
            }
            default:
                throw CollectionException.WrongInput("only nearest-neighbour, recommend, discover and context queries are supported by this node");
        }
    }
}
