using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Points of a hybrid collection (dense <c>dense</c>: 4 dims, Dot; sparse <c>text</c>, optionally with
/// <c>modifier: idf</c>), each point holding a few seeded dimensions out of a small vocabulary (some points hold no
/// sparse vector), and the brute-force answers a sparse search must match.
/// </summary>
public sealed class SparseVectorSet
{
    /// <summary>Size of the sparse vocabulary: small, so points share dimensions.</summary>
    public const int Vocabulary = 40;

    public SparseVectorSet(int count, int seed)
    {
        Count = count;
        var random = new Random(seed);
        for (int id = 1; id <= count; id++)
        {
            Dense[id] = NamedVectorSet.Random(random, 4);
            if (id % 7 == 0) continue;
            Sparse[id] = RandomSparse(random);
        }
    }

    /// <summary>The create body, as Qdrant documents hybrid collections.</summary>
    public static string CreateBody(bool idf = false)
    {
        string text = idf ? """{"modifier": "idf"}""" : "{}";
        return $$$"""{"vectors": {"dense": {"size": 4, "distance": "Dot"}}, "sparse_vectors": {"text": {{{text}}}}}""";
    }

    /// <summary>Dense vectors by point id (every point has one).</summary>
    public Dictionary<int, float[]> Dense { get; } = [];

    /// <summary>Sparse vectors by point id, as (dimension, weight) sorted by dimension.</summary>
    public Dictionary<int, SortedDictionary<uint, float>> Sparse { get; } = [];

    /// <summary>Number of points.</summary>
    public int Count { get; }

    /// <summary>A random sparse vector of 2..6 distinct dimensions.</summary>
    public static SortedDictionary<uint, float> RandomSparse(Random random)
    {
        var v = new SortedDictionary<uint, float>();
        int n = random.Next(2, 7);
        while (v.Count < n) v[(uint)random.Next(Vocabulary)] = MathF.Round((float)random.NextDouble() * 2f, 3) + 0.01f;
        return v;
    }

    /// <summary>The <c>points</c> list of an upsert, sparse indices given out of order (Qdrant sorts them).</summary>
    public string PointsJson()
    {
        var sb = new StringBuilder("[");
        for (int id = 1; id <= Count; id++)
        {
            if (sb.Length > 1) sb.Append(',');
            string sparse = Sparse.TryGetValue(id, out var s) ? $", \"text\": {Json(s, reversed: true)}" : "";
            sb.Append(CultureInfo.InvariantCulture, $$$"""{"id": {{{id}}}, "vector": {"dense": {{{NamedVectorSet.Json(Dense[id])}}}{{{sparse}}}}, "payload": {"n": {{{id}}}}}""");
        }

        return sb.Append(']').ToString();
    }

    /// <summary><c>{"indices": [..], "values": [..]}</c> (optionally listing the dimensions in descending order).</summary>
    public static string Json(SortedDictionary<uint, float> v, bool reversed = false)
    {
        var pairs = reversed ? v.Reverse().ToList() : v.ToList();
        return $$"""{"indices": [{{string.Join(",", pairs.Select(p => p.Key))}}], "values": [{{string.Join(",", pairs.Select(p => p.Value.ToString("R", CultureInfo.InvariantCulture)))}}]}""";
    }

    /// <summary>
    /// Brute force: points sharing a dimension with <paramref name="query"/>, by dot product (each query weight times
    /// Qdrant's IDF of its dimension with <paramref name="idf"/>), best first, ties by id.
    /// </summary>
    public List<(int Id, double Score)> Ranked(SortedDictionary<uint, float> query, bool idf = false, Func<int, bool>? where = null)
    {
        int n = Sparse.Count;
        var ranked = new List<(int, double)>();
        foreach (var (id, v) in Sparse)
        {
            if (where is not null && !where(id)) continue;
            double score = 0;
            bool overlap = false;
            foreach (var (dim, w) in query)
            {
                if (!v.TryGetValue(dim, out var x)) continue;
                overlap = true;
                double weight = w;
                if (idf)
                {
                    int df = Sparse.Values.Count(p => p.ContainsKey(dim));
                    weight *= Math.Log((n - df + 0.5) / (df + 0.5) + 1);
                }

                score += weight * x;
            }

            if (overlap) ranked.Add((id, score));
        }

        return [.. ranked.OrderByDescending(p => p.Item2).ThenBy(p => p.Item1)];
    }

    /// <summary>The (id, score) pairs of a list of scored points.</summary>
    public static List<(int Id, double Score)> Hits(JsonElement points) =>
        [.. points.EnumerateArray().Select(p => (p.GetProperty("id").GetInt32(), p.GetProperty("score").GetDouble()))];

    /// <summary>Asserts <paramref name="actual"/> is <paramref name="expected"/>: same ids in order (allowing near-ties to swap), same scores.</summary>
    public static void AssertRanked(List<(int Id, double Score)> expected, List<(int Id, double Score)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Score, actual[i].Score, 3);
            if (i + 1 < expected.Count && Math.Abs(expected[i].Score - expected[i + 1].Score) < 1e-4) continue;
            if (i > 0 && Math.Abs(expected[i].Score - expected[i - 1].Score) < 1e-4) continue;
            Assert.Equal(expected[i].Id, actual[i].Id);
        }
    }
}
