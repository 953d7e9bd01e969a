using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Points of a collection with two named vectors (<c>image</c>: 4 dims, Dot; <c>text</c>: 8 dims, Cosine), each
/// point holding both, one or none of them (seeded), and the brute-force answers a search must match.
/// </summary>
public sealed class NamedVectorSet
{
    /// <summary>The create body, as Qdrant documents named vectors.</summary>
    public const string CreateBody = """
        {"vectors": {"image": {"size": 4, "distance": "Dot"}, "text": {"size": 8, "distance": "Cosine", "on_disk": true, "hnsw_config": {"m": 8}}}}
        """;

    public NamedVectorSet(int count, int seed)
    {
        Count = count;
        var random = new Random(seed);
        for (int id = 1; id <= count; id++)
        {
            if (id % 3 != 0) Image[id] = Random(random, 4);
            if (id % 4 != 0) Text[id] = Random(random, 8);
        }
    }

    /// <summary>Image vectors by point id (points without one are absent).</summary>
    public Dictionary<int, float[]> Image { get; } = [];

    /// <summary>Text vectors by point id.</summary>
    public Dictionary<int, float[]> Text { get; } = [];

    /// <summary>Number of points.</summary>
    public int Count { get; }

    /// <summary>Every point id, 1..count.</summary>
    public IEnumerable<int> Ids => Enumerable.Range(1, Count);

    /// <summary>The <c>points</c> list of an upsert: each point with the vectors it holds (<c>{}</c> for none).</summary>
    public string PointsJson()
    {
        var sb = new StringBuilder("[");
        foreach (int id in Ids)
        {
            if (sb.Length > 1) sb.Append(',');
            sb.Append(CultureInfo.InvariantCulture, $$$"""{"id": {{{id}}}, "vector": {{{VectorJson(id)}}}, "payload": {"n": {{{id}}}}}""");
        }

        return sb.Append(']').ToString();
    }

    /// <summary>The named vectors of point <paramref name="id"/> as a JSON object.</summary>
    public string VectorJson(int id)
    {
        var parts = new List<string>();
        if (Image.TryGetValue(id, out var image)) parts.Add($"\"image\": {Json(image)}");
        if (Text.TryGetValue(id, out var text)) parts.Add($"\"text\": {Json(text)}");
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>The ids of the <paramref name="k"/> best points for <paramref name="query"/> on one vector, by brute force.</summary>
    public static List<int> Nearest(Dictionary<int, float[]> vectors, float[] query, bool cosine, int k) =>
        [.. vectors.OrderByDescending(p => Score(p.Value, query, cosine)).ThenBy(p => p.Key).Take(k).Select(p => p.Key)];

    /// <summary>Dot product, or cosine similarity.</summary>
    public static double Score(float[] a, float[] b, bool cosine)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return cosine ? dot / Math.Sqrt(na * nb) : dot;
    }

    public static float[] Random(Random random, int dimension)
    {
        var v = new float[dimension];
        for (int i = 0; i < dimension; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
        return v;
    }

    public static string Json(float[] v) => JsonSerializer.Serialize(v);

    /// <summary>The ids of a list of points or scored points.</summary>
    public static List<int> IdsOf(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];
}
