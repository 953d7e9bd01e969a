using AspireVector.Node.Index.Kernels;
using AspireVector.Node.Points;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>
    /// Maximal marginal relevance: the <see cref="Mmr.CandidatesLimit"/> nearest neighbours of the request's vector,
    /// then, greedily, the one maximising <c>λ·sim(query) − (1 − λ)·max sim(already chosen)</c> with
    /// <c>λ = 1 − diversity</c>, first the most relevant. The page is in the order chosen, each point with its search score.
    /// </summary>
    /// <remarks>
    /// Similarities are Qdrant's raw ones (higher is closer for every distance, Cosine over normalised vectors), computed
    /// on the coordinator over the candidates' stored vectors: the candidates come from every shard.
    /// </remarks>
    public async Task<List<PointView>> SearchMmrAsync(SearchRequest request, PointId? exclude, Mmr mmr, ReadConsistency consistency = default,
        CancellationToken cancellationToken = default)
    {
        string name = request.VectorName;
        var distance = Config.Vector(name).Distance;
        int rows = Config.MultivectorRowSize(name);
        var returned = request.WithVector;
        if (mmr.CandidatesLimit == 0) return [];
        var candidates = await SearchAsync(new SearchRequest
        {
            Vector = request.Vector, VectorName = name, Limit = mmr.CandidatesLimit, ScoreThreshold = request.ScoreThreshold, Filter = request.Filter,
            Params = request.Params, ExcludeIds = request.ExcludeIds, WithVector = new WithVectors(true, [name]),
        }, exclude, consistency, cancellationToken).ConfigureAwait(false);

        var query = (float[])request.Vector.Clone();
        if (distance == Index.Distance.Cosine) NormalizeRows(query, rows);
        var chosen = Choose(candidates, query, name, distance, rows, 1f - mmr.Diversity, request.Offset + request.Limit);
        int skip = Math.Min(request.Offset, chosen.Count);
        var page = chosen.GetRange(skip, Math.Min(request.Limit, chosen.Count - skip));
        if (!returned.Enabled) return page.Select(p => p with { Vectors = null }).ToList();
        if (returned.Names is { Count: 1 } only && only[0] == name) return page;
        // Vectors other than the one compared are read for the page only.
        var stored = await RetrieveAsync(page.Select(p => p.Id).ToList(), returned, consistency, cancellationToken).ConfigureAwait(false);
        var vectors = stored.ToDictionary(p => p.Id, p => p.Vectors);
        return page.Select(p => p with { Vectors = vectors.GetValueOrDefault(p.Id) }).ToList();
    }

    /// <summary>The greedy MMR selection of up to <paramref name="limit"/> candidates, in the order chosen.</summary>
    private static List<PointView> Choose(List<PointView> candidates, float[] query, string name, Index.Distance distance, int rows, float lambda, int limit)
    {
        int n = candidates.Count;
        var chosen = new List<PointView>(Math.Min(n, limit));
        if (n == 0 || limit == 0) return chosen;
        var relevance = new float[n];
        for (int i = 0; i < n; i++) relevance[i] = Similarity(distance, query, candidates[i].VectorNamed(name)!, rows);
        // Each remaining candidate's highest similarity to a chosen one, updated as candidates are chosen.
        var closestChosen = new float[n];
        Array.Fill(closestChosen, float.NegativeInfinity);
        var taken = new bool[n];
        int next = 0;
        for (int i = 1; i < n; i++) if (relevance[i] > relevance[next]) next = i;
        while (true)
        {
            taken[next] = true;
            chosen.Add(candidates[next]);
            if (chosen.Count == Math.Min(n, limit)) return chosen;
            var vector = candidates[next].VectorNamed(name)!;
            int best = -1;
            float bestScore = float.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                if (taken[i]) continue;
                closestChosen[i] = MathF.Max(closestChosen[i], Similarity(distance, vector, candidates[i].VectorNamed(name)!, rows));
                float score = lambda * relevance[i] - (1f - lambda) * closestChosen[i];
                if (best < 0 || score > bestScore) (best, bestScore) = (i, score);
            }

            next = best;
        }
    }
}
