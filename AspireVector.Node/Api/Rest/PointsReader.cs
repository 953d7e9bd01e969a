using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Reads points, ids and vectors from request JSON, validating everything before any write so a bad point
/// rejects the whole request with a message that names it.
/// </summary>
public static class PointsReader
{
    /// <summary>Reads an upsert body in the <c>points</c> list form or the <c>batch</c> column form.</summary>
    public static List<PointRecord> ReadUpsert(JsonElement body, CollectionConfig config, int maxBatch)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a JSON object as the request body");
        if (body.TryGetProperty("points", out var list)) return ReadList(list, config, maxBatch);
        if (body.TryGetProperty("batch", out var batch)) return ReadBatch(batch, config, maxBatch);
        throw CollectionException.BadJson("data did not match any variant of untagged enum PointInsertOperations: expected `points` or `batch`");
    }

    private static List<PointRecord> ReadList(JsonElement list, CollectionConfig config, int maxBatch)
    {
        if (list.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `points`: expected a list, got {list.GetRawText()}");
        int n = list.GetArrayLength();
        CheckBatch(n, maxBatch);
        var points = new List<PointRecord>(n);
        int i = 0;
        foreach (var p in list.EnumerateArray())
        {
            string at = $"points[{i}]";
            if (p.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{at}`: expected a point object");
            if (!p.TryGetProperty("id", out var idJson)) throw CollectionException.BadJson($"missing field `id` at `{at}`");
            var id = ReadId(idJson, at + ".id");
            if (!p.TryGetProperty("vector", out var vector)) throw CollectionException.BadJson($"missing field `vector` at `{at}`");
            var payload = p.TryGetProperty("payload", out var pl) ? ReadPayload(pl, at + ".payload") : null;
            points.Add(ReadPointVectors(vector, config, at + ".vector").ToRecord(id, payload));
            i++;
        }
        return points;
    }

    private static List<PointRecord> ReadBatch(JsonElement batch, CollectionConfig config, int maxBatch)
    {
        if (batch.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("invalid type for `batch`: expected an object");
        if (!batch.TryGetProperty("ids", out var ids) || ids.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson("missing field `ids` in `batch`");
        if (!batch.TryGetProperty("vectors", out var vectors) || vectors.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            throw CollectionException.BadJson("missing field `vectors` in `batch` (expected a list of vectors, or a map from vector names to lists of vectors)");
        int n = ids.GetArrayLength();
        CheckBatch(n, maxBatch);
        JsonElement? payloads = batch.TryGetProperty("payloads", out var pls) && pls.ValueKind != JsonValueKind.Null ? pls : null;
        if (payloads is { } ps && (ps.ValueKind != JsonValueKind.Array || ps.GetArrayLength() != n))
            throw CollectionException.WrongInput($"number of ids and payloads must be equal: {n} ids");
        var columns = new List<(string Name, VectorParams? Params, JsonElement Rows)>();
        if (vectors.ValueKind == JsonValueKind.Array) columns.Add(("", config.Vector(""), vectors));
        else
        {
            foreach (var named in vectors.EnumerateObject())
            {
                if (named.Value.ValueKind != JsonValueKind.Array)
                    throw CollectionException.BadJson($"invalid type for `batch.vectors.{named.Name}`: expected a list of vectors, got {named.Value.GetRawText()}");
                columns.Add((named.Name, config.IsSparse(named.Name) ? null : config.Vector(named.Name), named.Value));
            }
        }

        foreach (var (name, _, rows) in columns)
        {
            if (rows.GetArrayLength() != n)
                throw CollectionException.WrongInput($"number of ids and vectors must be equal: {n} ids, {rows.GetArrayLength()} vectors{(name.Length == 0 ? "" : $" named `{name}`")}");
        }

        var points = new List<PointRecord>(n);
        for (int i = 0; i < n; i++)
        {
            var id = ReadId(ids[i], $"batch.ids[{i}]");
            var named = new Dictionary<string, float[]>(columns.Count, StringComparer.Ordinal);
            Dictionary<string, SparseVector>? sparse = null;
            foreach (var (name, vector, rows) in columns)
            {
                string at = name.Length == 0 ? $"batch.vectors[{i}]" : $"batch.vectors.{name}[{i}]";
                if (vector is null) (sparse ??= new Dictionary<string, SparseVector>(StringComparer.Ordinal))[name] = ReadSparse(rows[i], name, at);
                else named[name] = ReadDense(rows[i], vector, at, name.Length == 0 ? at : $"batch.vectors.?[{i}]");
            }

            var payload = payloads is { } p ? ReadPayload(p[i], $"batch.payloads[{i}]") : null;
            points.Add(sparse is null ? new PointRecord(id, named, payload) : new PointRecord(id, named, payload) { Sparse = sparse });
        }
        return points;
    }

    private static void CheckBatch(int n, int maxBatch)
    {
        if (n > maxBatch) throw CollectionException.WrongInput($"too many points in one request: {n} (max {maxBatch})");
    }

    /// <summary>Reads a point id (u64 or UUID).</summary>
    public static PointId ReadId(JsonElement json, string at)
    {
        if (!PointId.TryParse(json, out var id, out var error)) throw CollectionException.BadJson($"{error} at `{at}`");
        return id;
    }

    /// <summary>Reads a list of ids.</summary>
    public static List<PointId> ReadIds(JsonElement json, string at)
    {
        if (json.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `{at}`: expected a list of point ids");
        var ids = new List<PointId>(json.GetArrayLength());
        int i = 0;
        foreach (var e in json.EnumerateArray()) ids.Add(ReadId(e, $"{at}[{i++}]"));
        return ids;
    }

    /// <summary>
    /// A point's vectors (Qdrant's <c>VectorStruct</c>): a plain list is the unnamed vector, an object maps vector names
    /// to lists or, for the collection's sparse vectors, to <c>{"indices", "values"}</c> (any subset of the collection's
    /// names; <c>""</c> is the unnamed vector). Unknown names, wrong sizes and invalid sparse vectors are refused with
    /// Qdrant's errors.
    /// </summary>
    public static VectorStruct ReadPointVectors(JsonElement json, CollectionConfig config, string at)
    {
        if (json.ValueKind != JsonValueKind.Object) return new VectorStruct(PointRecord.Unnamed(ReadDense(json, config.Vector(""), at, at)), PointRecord.NoSparse);
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        Dictionary<string, SparseVector>? sparse = null;
        foreach (var named in json.EnumerateObject())
        {
            string path = named.Name.Length == 0 ? at : $"{at}.{named.Name}";
            if (config.IsSparse(named.Name))
            {
                (sparse ??= new Dictionary<string, SparseVector>(StringComparer.Ordinal))[named.Name] = ReadSparse(named.Value, named.Name, path);
                continue;
            }

            var vector = config.Vector(named.Name);
            if (named.Value.ValueKind == JsonValueKind.Object)
                throw CollectionException.WrongInput($"`{path}`: vector `{named.Name}` is dense, expected a list of numbers, got a sparse vector");
            vectors[named.Name] = ReadDense(named.Value, vector, path, named.Name.Length == 0 ? at : at + ".?");
        }

        if (vectors.Count == 0 && sparse is null && !config.HasNamedVectors)
            throw CollectionException.WrongInput($"Vector dimension error: expected dim: {config.VectorSize}, got 0");
        return new VectorStruct(vectors, sparse ?? PointRecord.NoSparse);
    }

    /// <summary>
    /// Reads a sparse vector <c>{"indices": [u32..], "values": [f32..]}</c> of the vector <paramref name="name"/>: same
    /// lengths, unique indices (sorted here, as Qdrant sorts them), finite values.
    /// </summary>
    public static SparseVector ReadSparse(JsonElement json, string name, string at)
    {
        if (json.ValueKind != JsonValueKind.Object)
            throw CollectionException.WrongInput($"`{at}`: vector `{name}` is sparse, expected {{\"indices\": [..], \"values\": [..]}}, got {json.GetRawText()}");
        if (!json.TryGetProperty("indices", out var indicesJson) || indicesJson.ValueKind != JsonValueKind.Array)
            throw CollectionException.BadJson($"missing field `indices` at `{at}` (expected a list of unsigned integers)");
        if (!json.TryGetProperty("values", out var valuesJson) || valuesJson.ValueKind != JsonValueKind.Array)
            throw CollectionException.BadJson($"missing field `values` at `{at}` (expected a list of numbers)");
        var indices = new uint[indicesJson.GetArrayLength()];
        int i = 0;
        foreach (var e in indicesJson.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetUInt32(out indices[i]))
                throw CollectionException.BadJson($"invalid value: {e.GetRawText()}, expected u32 at `{at}.indices[{i}]`");
            i++;
        }

        var values = new float[valuesJson.GetArrayLength()];
        i = 0;
        foreach (var e in valuesJson.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number) throw CollectionException.BadJson($"invalid type: {e.GetRawText()}, expected f32 at `{at}.values[{i}]`");
            if (!e.TryGetSingle(out values[i]) || !float.IsFinite(values[i]))
                throw CollectionException.WrongInput($"vector component {e.GetRawText()} at `{at}.values[{i}]` is not a finite 32-bit float (NaN and Infinity are not allowed)");
            i++;
        }

        return CheckedSparse(indices, values, at);
    }

    /// <summary>A sparse vector from ids and finite weights (taken over), sorted; Qdrant's validation error when the lengths differ or an id repeats.</summary>
    public static SparseVector CheckedSparse(uint[] indices, float[] values, string at) =>
        SparseVector.TryCreate(indices, values, out var error) ?? throw new CollectionException(400, $"Validation error in JSON body: [{at}.{error}]");

    /// <summary>
    /// A point's dense vector for <paramref name="vector"/>: a list of numbers, or for a multivector a matrix (list of
    /// rows, flattened here); Qdrant's "Conversion between multi and regular vectors failed" when the shape is the other one.
    /// <paramref name="validationAt"/> is the path Qdrant names in validation errors (<c>points[0].vector.?</c>).
    /// </summary>
    public static float[] ReadDense(JsonElement json, VectorParams vector, string at, string validationAt)
    {
        bool matrix = IsMatrix(json);
        if (matrix != vector.Multivector && !(vector.Multivector && IsEmptyList(json))) throw WrongMulti();
        return vector.Multivector ? ReadMultivector(json, vector.Size, at, validationAt) : ReadVector(json, vector.Size, at);
    }

    /// <summary>Qdrant's error for a plain vector where a multivector is expected, or the reverse.</summary>
    public static CollectionException WrongMulti() => CollectionException.WrongInput("Conversion between multi and regular vectors failed");

    /// <summary>True when <paramref name="json"/> is a list whose first item is a list (Qdrant's multi-dense form).</summary>
    public static bool IsMatrix(JsonElement json) =>
        json.ValueKind == JsonValueKind.Array && json.GetArrayLength() > 0 && json[0].ValueKind == JsonValueKind.Array;

    private static bool IsEmptyList(JsonElement json) => json.ValueKind == JsonValueKind.Array && json.GetArrayLength() == 0;

    /// <summary>
    /// Reads a multivector: at least one row, every row non-empty, of one size equal to <paramref name="dimension"/>,
    /// with Qdrant's errors; returned flattened row after row.
    /// </summary>
    public static float[] ReadMultivector(JsonElement json, int dimension, string at, string validationAt)
    {
        if (json.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `{at}`: expected a list of vectors, got {json.GetRawText()}");
        int rows = json.GetArrayLength();
        if (rows == 0) throw CollectionException.WrongInput($"Vector dimension error: expected dim: {dimension}, got 0");
        int first = -1;
        foreach (var row in json.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `{at}`: expected a list of vectors, got {row.GetRawText()}");
            int n = row.GetArrayLength();
            if (n == 0) throw CollectionException.Validation(validationAt + ".data", "all vectors must be non-empty");
            if (first < 0) first = n;
            else if (n != first) throw CollectionException.Validation(validationAt + ".data", $"all vectors must have the same dimension, found vector with dimension {n}");
        }

        if (first != dimension) throw CollectionException.WrongInput($"Vector dimension error: expected dim: {dimension}, got {first}");
        var flat = new float[rows * dimension];
        int r = 0;
        foreach (var row in json.EnumerateArray())
        {
            ReadVector(row, dimension, $"{at}[{r}]").CopyTo(flat, r * dimension);
            r++;
        }

        return flat;
    }

    /// <summary>Reads a dense vector of exactly <paramref name="dimension"/> finite numbers.</summary>
    public static float[] ReadVector(JsonElement json, int dimension, string at)
    {
        if (json.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `{at}`: expected a list of numbers, got {json.GetRawText()}");
        int n = json.GetArrayLength();
        if (n != dimension) throw CollectionException.WrongInput($"Vector dimension error: expected dim: {dimension}, got {n}");
        var vector = new float[n];
        int i = 0;
        foreach (var e in json.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number) throw CollectionException.BadJson($"invalid type: {e.GetRawText()}, expected f32 at `{at}[{i}]`");
            if (!e.TryGetSingle(out float f) || !float.IsFinite(f))
                throw CollectionException.WrongInput($"vector component {e.GetRawText()} at `{at}[{i}]` is not a finite 32-bit float (NaN and Infinity are not allowed)");
            vector[i++] = f;
        }
        return vector;
    }

    /// <summary>Reads a payload object (null allowed).</summary>
    public static System.Text.Json.Nodes.JsonObject? ReadPayload(JsonElement json, string at) => json.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Object => PayloadJson.FromElement(json),
        _ => throw CollectionException.BadJson($"invalid type for `{at}`: expected a payload object, got {json.GetRawText()}"),
    };

    /// <summary>
    /// Reads <c>with_vector</c> (or <c>with_vectors</c>): a bool, or a list of vector names (each must exist in
    /// <paramref name="config"/>; an empty list returns no vectors).
    /// </summary>
    public static WithVectors ReadWithVector(JsonElement body, CollectionConfig config, bool fallback = false)
    {
        if (body.ValueKind != JsonValueKind.Object) return fallback;
        if (!body.TryGetProperty("with_vector", out var v) && !body.TryGetProperty("with_vectors", out v)) return fallback;
        return ReadWithVectorValue(v, config, "with_vector");
    }

    /// <summary>Reads a <c>WithVector</c> value (bool or list of names).</summary>
    public static WithVectors ReadWithVectorValue(JsonElement v, CollectionConfig config, string at)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.True: return WithVectors.All;
            case JsonValueKind.False or JsonValueKind.Null: return WithVectors.None;
            case JsonValueKind.Array:
                var names = new List<string>(v.GetArrayLength());
                foreach (var n in v.EnumerateArray())
                {
                    if (n.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `{at}`: expected a boolean or a list of vector names, got {v.GetRawText()}");
                    config.RequireVectorName(n.GetString());
                    names.Add(n.GetString()!);
                }

                return names.Count == 0 ? WithVectors.None : new WithVectors(true, names);
            default:
                throw CollectionException.BadJson($"invalid type for `{at}`: expected a boolean or a list of names, got {v.GetRawText()}");
        }
    }

    /// <summary>Reads an optional non-negative integer field.</summary>
    public static int ReadCount(JsonElement body, string name, int fallback, int max) => ReadCount(body, name, fallback, 0, max);

    /// <summary>Reads an optional <c>limit</c>: at least 1, as Qdrant validates it.</summary>
    public static int ReadLimit(JsonElement body, int fallback, int max) => ReadCount(body, "limit", fallback, 1, max);

    /// <summary>Reads an optional positive integer field other than <c>limit</c> (e.g. <c>group_size</c>).</summary>
    public static int ReadLimitNamed(JsonElement body, string name, int fallback, int max) => ReadCount(body, name, fallback, 1, max);

    private static int ReadCount(JsonElement body, string name, int fallback, int min, int max)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n) || n < 0)
            throw CollectionException.BadJson($"invalid value for `{name}`: expected a non-negative integer, got {v.GetRawText()}");
        return CheckCount(n, name, min, max);
    }

    /// <summary>Checks a count against its bounds, with the validation message REST gives.</summary>
    public static int CheckCount(long n, string name, int min, int max)
    {
        if (n < min) throw CollectionException.Validation(name, $"value {n} invalid, must be {min} or greater");
        if (n > max) throw CollectionException.Validation(name, $"value {n} invalid, must be at most {max}");
        return (int)n;
    }
}
