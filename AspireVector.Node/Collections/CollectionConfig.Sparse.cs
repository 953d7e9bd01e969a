using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Index;

namespace AspireVector.Node.Collections;

public sealed partial class CollectionConfig
{
    /// <summary>
    /// The sparse vectors (<c>"sparse_vectors": {"name": {"index": {..}, "modifier": ..}}</c>) in ordinal name order, or
    /// null when the collection declares none. Their names never clash with dense names.
    /// </summary>
    public SortedDictionary<string, SparseVectorParams>? SparseVectors { get; private set; }

    /// <summary>The names of the collection's sparse vectors (none when it declares none).</summary>
    public IEnumerable<string> SparseVectorNames => SparseVectors?.Keys ?? (IEnumerable<string>)[];

    /// <summary>True when <paramref name="name"/> is one of the collection's sparse vectors.</summary>
    public bool IsSparse(string? name) => name is not null && SparseVectors is { } sparse && sparse.ContainsKey(name);

    /// <summary>The parameters of sparse vector <paramref name="name"/>; 400 "Not existing vector name error" otherwise.</summary>
    public SparseVectorParams Sparse(string name) =>
        SparseVectors is { } sparse && sparse.TryGetValue(name, out var p) ? p : throw CollectionException.WrongInput($"Not existing vector name error: {name}");

    /// <summary>
    /// Checks that <paramref name="name"/> (<c>""</c> or null: the unnamed one) is a dense or sparse vector of the
    /// collection, with Qdrant's "Not existing vector name error" otherwise.
    /// </summary>
    public void RequireVectorName(string? name)
    {
        if (!IsSparse(name)) Vector(name);
    }

    /// <summary>
    /// How scores of vector <paramref name="name"/> order: its distance, or <see cref="Distance.Dot"/> for a sparse
    /// vector (a dot product: higher is better).
    /// </summary>
    public Distance ScoreDistance(string name) => IsSparse(name) ? Distance.Dot : Vector(name).Distance;

    /// <summary>400 for a sparse vector used where this node needs a dense one (recommend, discover, matrix).</summary>
    private static CollectionException SparseNotSupported(string name) =>
        CollectionException.WrongInput($"vector `{name}` is sparse: this request supports dense vectors only on this node (search and query support sparse vectors)");

    private void ReadSparseVectors(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Null) return;
        if (json.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `sparse_vectors`: expected a map of vector names, got {json.GetRawText()}");
        var sparse = new SortedDictionary<string, SparseVectorParams>(StringComparer.Ordinal);
        foreach (var named in json.EnumerateObject())
        {
            string path = $"sparse_vectors.{named.Name}";
            if (named.Name.Length == 0) throw CollectionException.WrongInput("Sparse vector name cannot be empty");
            if (named.Value.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{path}`: expected an object, got {named.Value.GetRawText()}");
            var p = new SparseVectorParams();
            ApplySparseParams(p, named.Value, path);
            sparse[named.Name] = p;
        }

        if (sparse.Count == 0) return;
        if (NamedVectors is { } dense)
        {
            foreach (var name in dense.Keys)
            {
                if (sparse.ContainsKey(name)) throw CollectionException.WrongInput($"Dense and sparse vector names must be unique - duplicate found with '{name}'");
            }
        }

        SparseVectors = sparse;
    }

    /// <summary>Reads <c>index</c> and <c>modifier</c> of one sparse vector over <paramref name="p"/> (PATCH merges <c>index</c> keys).</summary>
    private static void ApplySparseParams(SparseVectorParams p, JsonElement json, string path)
    {
        foreach (var prop in json.EnumerateObject())
        {
            switch (prop.Name)
            {
                case "index":
                    if (prop.Value.ValueKind == JsonValueKind.Null) break;
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{path}.index`: expected an object, got {prop.Value.GetRawText()}");
                    var index = p.Index ?? [];
                    foreach (var key in prop.Value.EnumerateObject()) index[key.Name] = SparseIndexValue(key, $"{path}.index");
                    p.Index = index;
                    break;
                case "modifier":
                    if (prop.Value.ValueKind == JsonValueKind.Null) break;
                    if (prop.Value.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `{path}.modifier`: expected `none` or `idf`, got {prop.Value.GetRawText()}");
                    p.Idf = prop.Value.GetString() switch
                    {
                        "idf" => true,
                        "none" => false,
                        _ => throw CollectionException.BadJson($"unknown variant `{prop.Value.GetString()}`, expected `none` or `idf` at `{path}.modifier`"),
                    };
                    p.ModifierGiven = true;
                    break;
                default: throw CollectionException.BadJson($"unknown field `{prop.Name}`, expected `index` or `modifier` at `{path}`");
            }
        }
    }

    private static JsonNode? SparseIndexValue(JsonProperty key, string path)
    {
        var v = key.Value;
        switch (key.Name)
        {
            case "on_disk":
                return Bool(v, $"{path}.on_disk") is bool b ? JsonValue.Create(b) : null;
            case "full_scan_threshold":
                if (v.ValueKind == JsonValueKind.Null) return null;
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n) || n < 0)
                    throw CollectionException.BadJson($"invalid type for `{path}.full_scan_threshold`: expected an unsigned integer, got {v.GetRawText()}");
                return JsonValue.Create(n);
            case "datatype":
                if (v.ValueKind == JsonValueKind.Null) return null;
                string? type = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (type is not ("float32" or "float16" or "uint8"))
                    throw CollectionException.BadJson($"unknown variant `{type ?? v.GetRawText()}`, expected one of `float32`, `uint8`, `float16` at `{path}.datatype`");
                return JsonValue.Create(type);
            default:
                throw CollectionException.BadJson($"unknown field `{key.Name}`, expected one of `full_scan_threshold`, `on_disk`, `datatype` at `{path}`");
        }
    }

    private void WriteSparseVectors(Utf8JsonWriter w)
    {
        if (SparseVectors is null) return;
        w.WriteStartObject("sparse_vectors");
        foreach (var (name, p) in SparseVectors)
        {
            w.WriteStartObject(name);
            if (p.Index is { } index)
            {
                w.WriteStartObject("index");
                foreach (var (key, value) in index)
                {
                    if (value is null) continue;
                    w.WritePropertyName(key);
                    value.WriteTo(w);
                }

                w.WriteEndObject();
            }

            if (p.ModifierGiven) w.WriteString("modifier", p.Idf ? "idf" : "none");
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>PATCH <c>sparse_vectors</c>: per existing name, <c>index</c> keys merge over the vector's and <c>modifier</c> is set.</summary>
    private void ApplySparseVectorsUpdate(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Null) return;
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `sparse_vectors`: expected a map of vector names, got {body.GetRawText()}");
        foreach (var named in body.EnumerateObject())
        {
            string path = $"sparse_vectors.{named.Name}";
            if (named.Value.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{path}`: expected an object, got {named.Value.GetRawText()}");
            ApplySparseParams(Sparse(named.Name), named.Value, path);
        }
    }
}
