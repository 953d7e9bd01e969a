using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Index;
using AspireVector.Node.Index.Sparse;

namespace AspireVector.Node.Api.Rest;

/// <summary>The parts search-like requests share: vector names, limit/offset/threshold/filter/params, batches.</summary>
public static class SearchRequestReader
{
    /// <summary>The <c>searches</c> list of a batch endpoint.</summary>
    public static JsonElement.ArrayEnumerator Searches(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("searches", out var s) || s.ValueKind != JsonValueKind.Array)
            throw CollectionException.BadJson("missing field `searches` (expected a list of requests)");
        return s.EnumerateArray();
    }

    /// <summary>An optional vector name (string or null).</summary>
    public static string? VectorName(JsonElement body, string property, string path)
    {
        if (!body.TryGetProperty(property, out var name) || name.ValueKind == JsonValueKind.Null) return null;
        if (name.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `{path}`: expected a vector name string, got {name.GetRawText()}");
        return name.GetString();
    }

    /// <summary>
    /// The vector named by <paramref name="property"/> (<c>using</c>; absent means the unnamed one, <c>""</c>); 400 when
    /// the collection has no such vector.
    /// </summary>
    public static string Using(JsonElement body, CollectionConfig config, string property = "using")
    {
        string name = VectorName(body, property, property) ?? "";
        config.RequireVectorName(name);
        return name;
    }

    /// <summary>
    /// Reads limit, offset, score_threshold, filter, params and with_vector around <paramref name="vector"/> (of the
    /// vector <paramref name="vectorName"/>), or around <paramref name="sparse"/> for a sparse vector.
    /// </summary>
    public static SearchRequest Read(JsonElement body, float[] vector, string vectorName, CollectionConfig config, NodeOptions o, int defaultLimit, SparseVector? sparse = null)
    {
        float? threshold = ReadThreshold(body);
        return new SearchRequest
        {
            Vector = vector,
            Sparse = sparse,
            VectorName = vectorName,
            Limit = PointsReader.ReadLimit(body, defaultLimit, o.Service.MaxSearchLimit),
            Offset = PointsReader.ReadCount(body, "offset", 0, o.Service.MaxSearchLimit),
            ScoreThreshold = threshold,
            Filter = FilterBinding.Read(body),
            Params = ReadParams(body),
            WithVector = PointsReader.ReadWithVector(body, config),
        };
    }

    /// <summary>
    /// A query vector for the vector <paramref name="name"/>: a list of numbers for a dense vector, <c>{"indices",
    /// "values"}</c> for a sparse one; 400 when the kind does not match the vector's.
    /// </summary>
    /// <remarks>
    /// A multivector's query is a matrix (flattened) or a plain vector (one row, as Qdrant expands it); a matrix for a
    /// plain dense vector is Qdrant's "Conversion between multi and regular vectors failed". With
    /// <paramref name="allowMatrix"/> false (the search API, whose <c>NamedVectorStruct</c> has no matrix form) a
    /// matrix is a format error, as in Qdrant.
    /// </remarks>
    public static (float[] Dense, SparseVector? Sparse) QueryVector(JsonElement json, string name, CollectionConfig config, string at, bool allowMatrix = true)
    {
        if (!allowMatrix && PointsReader.IsMatrix(json))
            throw new CollectionException(400, "Format error in JSON body: data did not match any variant of untagged enum NamedVectorStruct");
        if (config.IsSparse(name)) return ([], PointsReader.ReadSparse(json, name, at));
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("indices", out _))
            throw CollectionException.WrongInput($"`{at}`: a sparse query needs a sparse vector in `using`; vector `{name}` is dense");
        return (ExampleVector(json, config.Vector(name), at), null);
    }

    /// <summary>
    /// A query or example vector for <paramref name="vector"/>: a list of its size, or for a multivector also a matrix
    /// of rows of its size (flattened).
    /// </summary>
    public static float[] ExampleVector(JsonElement json, VectorParams vector, string at)
    {
        if (PointsReader.IsMatrix(json))
        {
            if (!vector.Multivector) throw PointsReader.WrongMulti();
            return PointsReader.ReadMultivector(json, vector.Size, at, at);
        }

        return PointsReader.ReadVector(json, vector.Size, at);
    }

    /// <summary>The optional <c>score_threshold</c>: a finite number, or null.</summary>
    public static float? ReadThreshold(JsonElement body)
    {
        if (!body.TryGetProperty("score_threshold", out var st) || st.ValueKind == JsonValueKind.Null) return null;
        if (st.ValueKind != JsonValueKind.Number || !st.TryGetSingle(out float f) || !float.IsFinite(f))
            throw CollectionException.BadJson($"invalid type for `score_threshold`: expected a number, got {st.GetRawText()}");
        return f;
    }

    private static SearchParams ReadParams(JsonElement body)
    {
        if (!body.TryGetProperty("params", out var p) || p.ValueKind == JsonValueKind.Null) return SearchParams.Default;
        if (p.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("invalid type for `params`: expected an object");
        int? ef = null;
        if (p.TryGetProperty("hnsw_ef", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v) || v < 0) throw CollectionException.BadJson($"invalid value for `params.hnsw_ef`: {e.GetRawText()}");
            ef = v;
        }
        bool exact = p.TryGetProperty("exact", out var x) && x.ValueKind == JsonValueKind.True;
        bool ignore = false;
        bool? rescore = null;
        double? oversampling = null;
        if (p.TryGetProperty("quantization", out var qz) && qz.ValueKind == JsonValueKind.Object)
        {
            ignore = qz.TryGetProperty("ignore", out var ig) && ig.ValueKind == JsonValueKind.True;
            if (qz.TryGetProperty("rescore", out var rs) && rs.ValueKind is JsonValueKind.True or JsonValueKind.False) rescore = rs.GetBoolean();
            if (qz.TryGetProperty("oversampling", out var os) && os.ValueKind == JsonValueKind.Number) oversampling = os.GetDouble();
        }
        return new SearchParams { HnswEf = ef, Exact = exact, IgnoreQuantization = ignore, Rescore = rescore, Oversampling = oversampling };
    }
}
