using System.Globalization;
using System.Text;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Random multivectors (1 to 4 rows of <see cref="Size"/>) for points 1..n, their JSON, and the brute-force max_sim
/// ranking Qdrant gives them: per query row the best similarity to any of the point's rows, summed (Cosine on rows
/// normalised one by one; Euclid reported as the square root of the summed smallest squared distances).
/// </summary>
public sealed class MultivectorSet
{
    /// <summary>Row size of the vectors.</summary>
    public const int Size = 4;

    /// <param name="count">Number of points (ids 1..count).</param>
    /// <param name="seed">Random seed.</param>
    public MultivectorSet(int count, int seed)
    {
        var random = new Random(seed);
        for (int id = 1; id <= count; id++) Vectors[id] = Random(random, 1 + random.Next(4));
    }

    /// <summary>Each point's rows.</summary>
    public Dictionary<int, float[][]> Vectors { get; } = [];

    /// <summary>A matrix of <paramref name="rows"/> random rows.</summary>
    public static float[][] Random(Random random, int rows) =>
        [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, Size).Select(_ => (float)Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray())];

    /// <summary>A matrix as JSON.</summary>
    public static string Json(float[][] rows) =>
        "[" + string.Join(", ", rows.Select(r => "[" + string.Join(", ", r.Select(f => f.ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]";

    /// <summary>The upsert's points, the matrix under <paramref name="name"/> (or unnamed), payload <c>{"n": id}</c>.</summary>
    public string PointsJson(string? name)
    {
        var sb = new StringBuilder("[");
        foreach (var (id, rows) in Vectors)
        {
            if (sb.Length > 1) sb.Append(", ");
            string vector = name is null ? Json(rows) : $$"""{"{{name}}": {{Json(rows)}}}""";
            sb.Append($$$"""{"id": {{{id}}}, "vector": {{{vector}}}, "payload": {"n": {{{id}}}}}""");
        }

        return sb.Append(']').ToString();
    }

    /// <summary>The max_sim score Qdrant reports for <paramref name="query"/> against <paramref name="stored"/>.</summary>
    public static double Score(string distance, float[][] query, float[][] stored)
    {
        double sum = 0;
        foreach (var q in query)
        {
            double best = double.NegativeInfinity;
            foreach (var s in stored) best = Math.Max(best, Similarity(distance, q, s));
            sum += best;
        }

        return distance == "Euclid" ? Math.Sqrt(-sum) : distance == "Manhattan" ? -sum : sum;
    }

    private static double Similarity(string distance, float[] a, float[] b)
    {
        switch (distance)
        {
            case "Cosine": return Dot(a, b) / Math.Sqrt(Dot(a, a) * Dot(b, b));
            case "Dot": return Dot(a, b);
            case "Euclid": return -a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();
            default: return -a.Zip(b, (x, y) => Math.Abs((double)x - y)).Sum();
        }
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    /// <summary>Every point ranked for <paramref name="query"/>, best first (ties by id).</summary>
    public List<(int Id, double Score)> Ranked(string distance, float[][] query)
    {
        var scored = Vectors.Select(p => (p.Key, Score(distance, query, p.Value)));
        bool lowerIsBetter = distance is "Euclid" or "Manhattan";
        return [.. (lowerIsBetter ? scored.OrderBy(h => h.Item2) : scored.OrderByDescending(h => h.Item2)).ThenBy(h => h.Key)];
    }

    /// <summary>
    /// Asserts <paramref name="hits"/> are the best of <paramref name="expected"/>: same scores in order (to float
    /// precision), same ids except where two scores are too close to order.
    /// </summary>
    public static void AssertRanked(List<(int Id, double Score)> expected, List<(int Id, double Score)> hits)
    {
        Assert.Equal(Math.Min(expected.Count, hits.Count), hits.Count);
        for (int i = 0; i < hits.Count; i++)
        {
            Assert.True(Math.Abs(expected[i].Score - hits[i].Score) < 1e-3, $"hit {i}: expected {expected[i]}, got {hits[i]}");
            bool tie = (i > 0 && Math.Abs(expected[i].Score - expected[i - 1].Score) < 1e-3)
                || (i + 1 < expected.Count && Math.Abs(expected[i].Score - expected[i + 1].Score) < 1e-3);
            if (!tie) Assert.Equal(expected[i].Id, hits[i].Id);
        }
    }

    /// <summary>The (id, score) pairs of a JSON list of hits.</summary>
    public static List<(int Id, double Score)> Hits(System.Text.Json.JsonElement hits) =>
        [.. hits.EnumerateArray().Select(h => (h.GetProperty("id").GetInt32(), h.GetProperty("score").GetDouble()))];
}
