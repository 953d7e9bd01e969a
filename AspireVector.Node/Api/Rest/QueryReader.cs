using System.Text;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Index;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Qdrant's universal query (<c>points/query</c>): a request, or a <c>prefetch</c> inside it, is a stage. A stage
/// without prefetches reads the collection (nearest, recommend, by id, or id order); a stage with prefetches
/// runs them first and then fuses their results (<c>rrf</c>, <c>dbsf</c>) or re-scores exactly the candidates they
/// found with its own query.
/// </summary>
/// <remarks>
/// Everything runs on the coordinator with the collection's fanned-out reads, so a cluster answers as a single node
/// does. As in Qdrant, a stage's filter is merged into every prefetch below it, the client's <c>offset</c> is added
/// to every prefetch's <c>limit</c>, and only the request's own stage returns vectors.
/// </remarks>
public static class QueryReader
{
    private const int MaxPrefetchDepth = 64;

    /// <summary>
    /// Reads a query request (REST's body, or gRPC's request in REST's shape); prefetches, ids, examples and
    /// <c>lookup_from</c> collections are resolved now so bad input fails before anything runs.
    /// </summary>
    public static async Task<RankedRequest> ReadAsync(Collection c, JsonElement body, NodeOptions o, TableOfContents toc, ReadConsistency consistency,
        CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a query request object");
        var payload = PayloadSelector.Read(body, PayloadSelector.None);
        var reading = new Reading(c, o, toc, consistency, cancellationToken);
        var stage = await reading.StageAsync(body, null, 0, 0).ConfigureAwait(false);
        StrictMode.CheckLimit(c.Config, stage.Limit); // fused and re-scored queries never reach a search with it
        return new RankedRequest(stage.Fetch, stage.Limit, stage.Offset, payload);
    }

    /// <summary>A read stage: how it ranks, the page it keeps, and whether lower scores are better (distances).</summary>
    private sealed record Stage(RankedQuery Fetch, int Limit, int Offset, bool LowerIsBetter);

    /// <summary>A scoring query over a filter: the leaf read, or the re-scoring of prefetched candidates.</summary>
    private delegate RankedQuery Scoring(QueryFilter? filter, bool exact);

    private sealed record Reading(Collection C, NodeOptions O, TableOfContents Toc, ReadConsistency Consistency, CancellationToken Aborted)
    {
        public async Task<Stage> StageAsync(JsonElement node, QueryFilter? inherited, int depth, int rootOffset)
        {
            bool root = depth == 0;
            if (node.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("invalid type for `prefetch`: expected an object or a list of objects");
            var filter = Merge(inherited, FilterBinding.Read(node));
            int offset = root ? PointsReader.ReadCount(node, "offset", 0, O.Service.MaxSearchLimit) : 0;
            int limit = PointsReader.ReadLimit(node, 10, O.Service.MaxSearchLimit) + (root ? 0 : rootOffset);
            var withVector = root ? PointsReader.ReadWithVector(node, C.Config) : WithVectors.None;
            var prefetches = Prefetches(node);
            bool hasQuery = node.TryGetProperty("query", out var q) && q.ValueKind != JsonValueKind.Null;

            if (prefetches.Count == 0)
            {
                if (!hasQuery) return new Stage(IdOrder(filter, withVector), limit, offset, false);
                if (IsFusion(q)) throw new CollectionException(400, "Bad request: cannot apply Fusion without prefetches");
                if (IsFormula(q)) throw new CollectionException(400, "Bad request: cannot apply Formula without prefetches");
                // As in Qdrant, a random sample of the collection ignores the offset: its order is not stable anyway.
                if (IsSample(q)) offset = 0;
                var (leaf, leafLower) = await ScoringAsync(node, q, withVector).ConfigureAwait(false);
                return new Stage(leaf(filter, false), limit, offset, leafLower);
            }

            if (depth + 1 > MaxPrefetchDepth) throw new CollectionException(400, $"Bad request: prefetches depth exceeds max depth {MaxPrefetchDepth}");
            var sources = new List<Stage>(prefetches.Count);
            foreach (var p in prefetches) sources.Add(await StageAsync(p, filter, depth + 1, root ? offset : rootOffset).ConfigureAwait(false));
            if (!hasQuery) throw new CollectionException(400, "Bad request: cannot have prefetches without a query");
            float? threshold = SearchRequestReader.ReadThreshold(node);
            if (IsFusion(q)) return new Stage(Fusion(q, sources, threshold, withVector), limit, offset, false);
            if (IsFormula(q)) return new Stage(Formula(FormulaReader.Read(q), sources, threshold, withVector), limit, offset, false);

            var (rescore, lower) = await ScoringAsync(node, q, withVector).ConfigureAwait(false);
            var fetchSources = Gather(sources);
            return new Stage(async (l, off, ct) =>
            {
                var candidates = new HashSet<PointId>();
                foreach (var list in await fetchSources(ct).ConfigureAwait(false))
                {
                    foreach (var p in list) candidates.Add(p.Id);
                }

                if (candidates.Count == 0) return [];
                return await rescore(Merge(HasId(candidates), filter), true)(l, off, ct).ConfigureAwait(false);
            }, limit, offset, lower);
        }

        /// <summary>Points in id order, each scored 1 (a query without one, as Qdrant's query API does).</summary>
        private RankedQuery IdOrder(QueryFilter? filter, WithVectors withVector) => async (l, off, ct) =>
        {
            StrictMode.CheckLimit(C.Config, l);
            var (points, _) = await C.ScrollAsync(null, off + l, filter, withVector, Consistency, ct).ConfigureAwait(false);
            return points.Skip(off).Select(p => p with { Score = Collection.ScrollLikeScore }).ToList();
        };

        /// <summary>
        /// A vector, a point id (its vector, the point left out), <c>{"nearest": ..}</c>, <c>{"recommend": {..}}</c>,
        /// <c>{"discover": {..}}</c>, <c>{"context": ..}</c>, <c>{"order_by": ..}</c> or <c>{"sample": "random"}</c>;
        /// also whether its scores are distances. Ids are read from the stage's <c>lookup_from</c> when it has one.
        /// </summary>
        private async Task<(Scoring Scoring, bool LowerIsBetter)> ScoringAsync(JsonElement node, JsonElement q, WithVectors withVector)
        {
            if (IsSample(q))
            {
                return ((filter, _) => async (l, off, ct) =>
                {
                    var drawn = await C.SampleAsync(off + l, filter, withVector, Consistency, ct).ConfigureAwait(false);
                    return drawn.Skip(off).ToList();
                }, false);
            }

            if (q.ValueKind == JsonValueKind.Object && q.TryGetProperty("order_by", out var orderJson))
            {
                // Ranked by the payload value, which is also the score (`using` plays no part).
                var order = OrderByReader.Read(orderJson, "query.order_by");
                return ((filter, _) => async (l, off, ct) =>
                {
                    var ordered = await C.ScrollOrderedAsync(order, off + l, filter, withVector, Consistency, ct).ConfigureAwait(false);
                    return ordered.Skip(off).Select(p => p with { Score = (float)p.OrderValue!.Value.Value }).ToList();
                }, !order.Descending);
            }

            // `using` matters only to a stage that scores by a vector (a fusion stage ignores it).
            string name = SearchRequestReader.Using(node, C.Config);
            bool lowerIsBetter = C.Config.ScoreDistance(name) is Distance.Euclid or Distance.Manhattan;
            var lookup = LookupFromReader.Read(node, Toc, C, name, endpoint: false);
            Mmr? mmr = null;
            if (q.ValueKind == JsonValueKind.Object && !IsSparseInput(q))
            {
                if (q.TryGetProperty("recommend", out var recommend))
                {
                    var request = RecommendApi.ReadRecommendInput(C, recommend, Options(node, [], name, withVector), lookup);
                    return ((filter, exact) => (l, off, ct) => C.RecommendAsync(request.Over(filter, exact).Page(l, off), Consistency, ct), false);
                }

                if (DiscoverApi.ReadQuery(C, q, node, O) is { } discover)
                {
                    // Prefetch stages never return vectors: the stage's with_vector decides, as for the other kinds.
                    var staged = new DiscoverRequest
                    {
                        Target = discover.Target, Context = discover.Context, Search = discover.Search.WithVectors(withVector), LookupFrom = lookup,
                    };
                    return ((filter, exact) => (l, off, ct) => C.DiscoverAsync(staged.Over(filter, exact).Page(l, off), Consistency, ct), false);
                }

                if (!q.TryGetProperty("nearest", out var nearest))
                    throw CollectionException.WrongInput("only nearest-neighbour, recommend, discover, context, order_by, sample, formula and fusion queries (a vector, a point id, {\"nearest\": ..}, {\"recommend\": ..}, {\"discover\": ..}, {\"context\": ..}, {\"order_by\": ..}, {\"sample\": \"random\"}, {\"formula\": ..}, {\"fusion\": ..} or {\"rrf\": ..}) are supported by this node");
                if (q.TryGetProperty("mmr", out var mmrJson) && mmrJson.ValueKind != JsonValueKind.Null)
                    mmr = ReadMmr(mmrJson, PointsReader.ReadLimit(node, 10, O.Service.MaxSearchLimit));
                q = nearest;
            }

            PointId? exclude = null;
            float[] vector;
            SparseVector? sparse = null;
            if (q.ValueKind is JsonValueKind.Array or JsonValueKind.Object) (vector, sparse) = SearchRequestReader.QueryVector(q, name, C.Config, "query");
            else
            {
                var id = PointsReader.ReadId(q, "query");
                var source = lookup?.Source ?? C;
                string sourceName = lookup?.VectorName ?? name;
                if (C.Config.IsSparse(name))
                {
                    vector = [];
                    sparse = await source.SparseVectorOfAsync(id, sourceName, Consistency, Aborted).ConfigureAwait(false) ?? throw CollectionException.PointNotFound(id);
                }
                else vector = await source.VectorOfAsync(id, sourceName, Consistency, Aborted).ConfigureAwait(false) ?? throw CollectionException.PointNotFound(id);
                // An id of another collection names no point here: nothing is left out (Qdrant's rule).
                exclude = source.Name == C.Name ? id : null;
            }

            var search = Options(node, vector, name, withVector, sparse);
            if (mmr is not null)
            {
                if (sparse is not null) throw CollectionException.WrongInput("`mmr` over a sparse vector is not supported by this node");
                // Each hit keeps its search score; only the order (and the choice) is MMR's, as in Qdrant.
                return ((filter, exact) => (l, off, ct) => C.SearchMmrAsync(search.Over(filter, exact).Page(l, off), exclude, mmr, Consistency, ct), lowerIsBetter);
            }

            return ((filter, exact) => (l, off, ct) => C.SearchAsync(search.Over(filter, exact).Page(l, off), exclude, Consistency, ct), lowerIsBetter);
        }

        /// <summary>The stage's search options; its filter is replaced by the merged one when the query runs.</summary>
        private SearchRequest Options(JsonElement node, float[] vector, string name, WithVectors withVector, SparseVector? sparse = null)
        {
            var search = SearchRequestReader.Read(node, vector, name, C.Config, O, 10, sparse);
            return new SearchRequest
            {
                Vector = vector, Sparse = sparse, VectorName = name, Limit = search.Limit, ScoreThreshold = search.ScoreThreshold, Params = search.Params, WithVector = withVector,
            };
        }

        /// <summary><c>{"fusion": "rrf" | "dbsf"}</c> or <c>{"rrf": {"k", "weights"}}</c> over the prefetches' results.</summary>
        private RankedQuery Fusion(JsonElement q, List<Stage> sources, float? threshold, WithVectors withVector)
        {
            var fuse = ReadFusion(q, sources);
            var fetchSources = Gather(sources);
            return async (l, off, ct) => await PageAsync(fuse(await fetchSources(ct).ConfigureAwait(false)), threshold, l, off, withVector, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// <c>{"formula": .., "defaults": ..}</c> over the prefetches' results: every candidate scored by the formula
        /// (its <c>$score[i]</c> is its score in prefetch i), best first.
        /// </summary>
        private RankedQuery Formula(ScoreFormula formula, List<Stage> sources, float? threshold, WithVectors withVector)
        {
            var fetchSources = Gather(sources);
            return async (l, off, ct) =>
            {
                var lists = await fetchSources(ct).ConfigureAwait(false);
                var scores = new List<IReadOnlyDictionary<PointId, float>>(lists.Length);
                var candidates = new Dictionary<PointId, PointView>();
                foreach (var list in lists)
                {
                    var byId = new Dictionary<PointId, float>(list.Count);
                    foreach (var p in list)
                    {
                        byId.TryAdd(p.Id, p.Score!.Value);
                        candidates.TryAdd(p.Id, p);
                    }

                    scores.Add(byId);
                }

                if (candidates.Count == 0) return [];
                // Each condition is one filtered read of the candidates (their payloads came with the prefetches).
                var matches = new List<HashSet<PointId>>(formula.Conditions.Count);
                var ids = HasId([.. candidates.Keys]);
                foreach (var condition in formula.Conditions)
                {
                    var (matching, _) = await C.ScrollAsync(null, candidates.Count, Merge(ids, condition), WithVectors.None, Consistency, ct).ConfigureAwait(false);
                    matches.Add([.. matching.Select(p => p.Id)]);
                }

                var scoring = new ScoreFormula.Candidates(scores, matches);
                var ranked = candidates.Values.Select(p => p with { Score = formula.Evaluate(p.Id, p.Payload, scoring) }).ToList();
                ranked.Sort(static (a, b) => b.Score!.Value.CompareTo(a.Score!.Value) is var c and not 0 ? c : a.Id.CompareTo(b.Id));
                return await PageAsync(ranked, threshold, l, off, withVector, ct).ConfigureAwait(false);
            };
        }

        /// <summary>The page of <paramref name="ranked"/> at or above the threshold, with the vectors asked for.</summary>
        private async Task<List<PointView>> PageAsync(List<PointView> ranked, float? threshold, int l, int off, WithVectors withVector, CancellationToken ct)
        {
            if (threshold is float t) ranked.RemoveAll(p => p.Score!.Value < t);
            int skip = Math.Min(off, ranked.Count);
            var page = ranked.GetRange(skip, Math.Min(l, ranked.Count - skip));
            if (!withVector.Enabled || page.Count == 0) return page;
            // Prefetches never carry vectors: the page's are read afterwards.
            var stored = await C.RetrieveAsync(page.Select(p => p.Id).ToList(), withVector, Consistency, ct).ConfigureAwait(false);
            var vectors = stored.ToDictionary(p => p.Id);
            return page.Select(p => vectors.TryGetValue(p.Id, out var v) ? p with { Vectors = v.Vectors, Sparse = v.Sparse } : p with { Vectors = null }).ToList();
        }

        /// <summary>Runs every prefetch (concurrently) for its own limit.</summary>
        private static Func<CancellationToken, Task<List<PointView>[]>> Gather(List<Stage> sources) => ct =>
            Task.WhenAll(sources.Select(s => s.Fetch(s.Limit, 0, ct)));
    }

    private static Func<List<PointView>[], List<PointView>> ReadFusion(JsonElement q, List<Stage> sources)
    {
        if (q.TryGetProperty("fusion", out var f))
        {
            string? kind = f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            if (kind == "rrf") return lists => ScoreFusion.Rrf(lists, ScoreFusion.DefaultRrfK);
            if (kind == "dbsf")
            {
                var lowerIsBetter = sources.Select(s => s.LowerIsBetter).ToList();
                return lists => ScoreFusion.Dbsf(lists, lowerIsBetter);
            }

            throw CollectionException.BadJson($"unknown variant `{kind ?? f.GetRawText()}`, expected `rrf` or `dbsf` at `query.fusion`");
        }

        var rrf = q.GetProperty("rrf");
        if (rrf.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `query.rrf`: expected an object, got {rrf.GetRawText()}");
        int k = ScoreFusion.DefaultRrfK;
        if (rrf.TryGetProperty("k", out var kj) && kj.ValueKind != JsonValueKind.Null)
        {
            if (kj.ValueKind != JsonValueKind.Number || !kj.TryGetInt32(out k) || k < 1)
                throw new CollectionException(400, $"Validation error in JSON body: [query.rrf.k: value {kj.GetRawText()} invalid, must be 1 or larger]");
        }

        List<float>? weights = null;
        if (rrf.TryGetProperty("weights", out var wj) && wj.ValueKind != JsonValueKind.Null)
        {
            if (wj.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson("invalid type for `query.rrf.weights`: expected a list of numbers");
            weights = [];
            foreach (var w in wj.EnumerateArray())
            {
                if (w.ValueKind != JsonValueKind.Number || !w.TryGetSingle(out float weight) || !float.IsFinite(weight))
                    throw CollectionException.BadJson($"invalid type for `query.rrf.weights`: expected a number, got {w.GetRawText()}");
                weights.Add(weight);
            }

            if (weights.Count != sources.Count)
                throw new CollectionException(400, $"Bad request: Number of weights in RRF should match number of pre-fetches: got {weights.Count}, expected {sources.Count}");
        }

        return lists => ScoreFusion.Rrf(lists, k, weights);
    }

    /// <summary>Qdrant's largest <c>mmr.candidates_limit</c>.</summary>
    private const int MaxMmrCandidates = 16_384;

    /// <summary><c>{"diversity", "candidates_limit"}</c>; candidates default to the stage's <paramref name="limit"/>, as in Qdrant.</summary>
    private static Mmr ReadMmr(JsonElement mmr, int limit)
    {
        if (mmr.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `query.mmr`: expected an object, got {mmr.GetRawText()}");
        float diversity = Mmr.DefaultDiversity;
        if (mmr.TryGetProperty("diversity", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetSingle(out diversity) || !float.IsFinite(diversity))
                throw CollectionException.BadJson($"invalid type for `query.mmr.diversity`: expected a number, got {d.GetRawText()}");
            if (diversity is < 0f or > 1f) throw CollectionException.Validation("query.mmr.diversity", $"value {d.GetRawText()} invalid, must be from 0.0 to 1.0");
        }

        int candidates = limit;
        if (mmr.TryGetProperty("candidates_limit", out var cl) && cl.ValueKind != JsonValueKind.Null)
        {
            if (cl.ValueKind != JsonValueKind.Number || !cl.TryGetInt64(out long n) || n < 0)
                throw CollectionException.BadJson($"invalid value for `query.mmr.candidates_limit`: expected a non-negative integer, got {cl.GetRawText()}");
            if (n > MaxMmrCandidates) throw CollectionException.Validation("query.mmr.candidates_limit", $"value {n} invalid, must be {MaxMmrCandidates} or smaller");
            candidates = (int)n;
        }

        return new Mmr(diversity, candidates);
    }

    /// <summary>True for <c>{"sample": "random"}</c>; 400 for another sampling.</summary>
    private static bool IsSample(JsonElement q)
    {
        if (q.ValueKind != JsonValueKind.Object || !q.TryGetProperty("sample", out var sample)) return false;
        if (sample.ValueKind == JsonValueKind.String && sample.GetString() == "random") return true;
        throw CollectionException.BadJson($"unknown variant `{(sample.ValueKind == JsonValueKind.String ? sample.GetString() : sample.GetRawText())}`, expected `random` at `query.sample`");
    }

    private static bool IsFormula(JsonElement q) => q.ValueKind == JsonValueKind.Object && q.TryGetProperty("formula", out _);

    /// <summary>A sparse query vector given directly (<c>{"indices": .., "values": ..}</c>), not a query kind object.</summary>
    private static bool IsSparseInput(JsonElement q) => q.TryGetProperty("indices", out _) || q.TryGetProperty("values", out _);

    private static bool IsFusion(JsonElement q) =>
        q.ValueKind == JsonValueKind.Object && (q.TryGetProperty("fusion", out _) || q.TryGetProperty("rrf", out _));

    /// <summary>The <c>prefetch</c> of a stage: absent, one object, or a list.</summary>
    private static List<JsonElement> Prefetches(JsonElement node)
    {
        if (!node.TryGetProperty("prefetch", out var p) || p.ValueKind == JsonValueKind.Null) return [];
        if (p.ValueKind == JsonValueKind.Object) return [p];
        if (p.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `prefetch`: expected an object or a list of objects, got {p.GetRawText()}");
        return [.. p.EnumerateArray()];
    }

    /// <summary>Both filters (a <c>must</c> of the two), or whichever is present.</summary>
    private static QueryFilter? Merge(QueryFilter? a, QueryFilter? b) =>
        a is null ? b : b is null ? a : QueryFilter.Parse($"{{\"must\":[{a.Json},{b.Json}]}}");

    private static QueryFilter HasId(HashSet<PointId> ids)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("must");
            w.WriteStartObject();
            w.WriteStartArray("has_id");
            foreach (var id in ids) PointWriter.WriteId(w, id);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return QueryFilter.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
