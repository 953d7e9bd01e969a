using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Index;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

public sealed partial class CollectionConfig
{
    /// <summary>
    /// The named vectors (<c>"vectors": {"name": {"size": .., "distance": ..}, ..}</c>) in ordinal name order, or null
    /// for a collection with the single unnamed vector (<see cref="VectorSize"/>, <see cref="Distance"/>).
    /// </summary>
    public SortedDictionary<string, VectorParams>? NamedVectors { get; private set; }

    /// <summary>True when the collection declares named vectors.</summary>
    public bool HasNamedVectors => NamedVectors is not null;

    /// <summary>The names of the collection's vectors: <c>""</c> alone for the unnamed vector.</summary>
    public IEnumerable<string> VectorNames => NamedVectors?.Keys ?? (IEnumerable<string>)[""];

    /// <summary>The largest vector size of the collection.</summary>
    public int MaxVectorSize => NamedVectors is null ? VectorSize : NamedVectors.Count == 0 ? 0 : NamedVectors.Values.Max(v => v.Size);

    /// <summary>
    /// The parameters of vector <paramref name="name"/> (<c>""</c> or null: the unnamed vector); 400 with Qdrant's
    /// "Not existing vector name error" when the collection has no such vector (the unnamed one of a named collection
    /// included).
    /// </summary>
    public VectorParams Vector(string? name)
    {
        name ??= "";
        if (NamedVectors is null)
        {
            if (name.Length == 0) return new VectorParams { Size = VectorSize, Distance = Distance, OnDisk = VectorsOnDisk, Multivector = UnnamedMultivector };
        }
        else if (NamedVectors.TryGetValue(name, out var named)) return named;

        if (IsSparse(name)) throw SparseNotSupported(name);
        throw CollectionException.WrongInput($"Not existing vector name error: {name}");
    }

    /// <summary>
    /// The vector spaces points live in: each dense vector's name, size and distance, and each sparse vector's name
    /// (<c>"": 4 Cosine</c>, <c>image: 512 Dot, text: sparse</c>). Two collections with the same description hold
    /// interchangeable points; index and quantization settings may differ.
    /// </summary>
    public string VectorSpaces()
    {
        var parts = NamedVectors is null
            ? [$"\"\": {VectorSize} {DistanceName(Distance)}"]
            : NamedVectors.Select(v => $"{v.Key}: {v.Value.Size} {DistanceName(v.Value.Distance)}").ToList();
        parts.AddRange(SparseVectorNames.Order(StringComparer.Ordinal).Select(name => $"{name}: sparse"));
        return string.Join(", ", parts);
    }

    /// <summary>What a segment needs from this config: one index per vector name, with its quantization.</summary>
    public SegmentConfig ToSegmentConfig()
    {
        var vectors = new List<KeyValuePair<string, SegmentVectorConfig>>(NamedVectors?.Count ?? 1);
        if (NamedVectors is null)
        {
            vectors.Add(new("", new SegmentVectorConfig(VectorSize, Distance, HnswConfig(Hnsw, null), UnnamedMultivector ? null : IndexQuantization(null), UnnamedMultivector)));
        }
        else
        {
            foreach (var (name, v) in NamedVectors)
                vectors.Add(new(name, new SegmentVectorConfig(v.Size, v.Distance, HnswConfig(Hnsw, v.Hnsw), v.Multivector ? null : IndexQuantization(v), v.Multivector)));
        }
        return new SegmentConfig(vectors, SparseVectorNames);
    }

    /// <summary>The collection's hnsw_config with a vector's own keys over it.</summary>
    private static HnswIndexConfig HnswConfig(JsonObject collection, JsonObject? vector)
    {
        int Value(string key, int fallback) => vector is not null && vector.ContainsKey(key) && vector[key] is not null
            ? Count(vector, key, fallback)
            : Count(collection, key, fallback);
        return new HnswIndexConfig
        {
            M = Value("m", 16),
            EfConstruct = Value("ef_construct", 100),
            FullScanThresholdKb = Value("full_scan_threshold", 10_000),
            MaxIndexingThreads = Value("max_indexing_threads", 0),
        };
    }

    private void WriteVectors(Utf8JsonWriter w)
    {
        if (NamedVectors is null)
        {
            w.WriteStartObject();
            w.WriteNumber("size", VectorSize);
            w.WriteString("distance", DistanceName(Distance));
            if (VectorsOnDisk is bool onDisk) w.WriteBoolean("on_disk", onDisk);
            if (UnnamedMultivector) WriteMultivectorConfig(w);
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject();
        foreach (var (name, v) in NamedVectors)
        {
            w.WriteStartObject(name);
            w.WriteNumber("size", v.Size);
            w.WriteString("distance", DistanceName(v.Distance));
            if (v.Hnsw is not null) { w.WritePropertyName("hnsw_config"); v.Hnsw.WriteTo(w); }
            if (v.Quantization is not null) { w.WritePropertyName("quantization_config"); v.Quantization.WriteTo(w); }
            if (v.OnDisk is bool onDisk) w.WriteBoolean("on_disk", onDisk);
            if (v.Multivector) WriteMultivectorConfig(w);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private void ReadVectors(JsonElement vectors)
    {
        if (vectors.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `vectors`: expected an object, got {vectors.GetRawText()}");
        if (!vectors.TryGetProperty("size", out var size))
        {
            var named = new SortedDictionary<string, VectorParams>(StringComparer.Ordinal);
            foreach (var p in vectors.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.Object)
                    throw CollectionException.BadJson($"data did not match any variant of untagged enum VectorsConfig: `vectors.{p.Name}` is not a vector params object");
                named[p.Name] = ReadVectorParams(p.Value, $"vectors.{p.Name}");
            }
            NamedVectors = named;
            // The single-vector members describe the first vector, for code that only needs a size or a distance
            // (a sparse-only collection has none: its create request is checked to declare sparse vectors).
            if (named.Count == 0) return;
            var first = named.Values.First();
            VectorSize = first.Size;
            Distance = first.Distance;
            return;
        }

        VectorSize = PositiveInt(size, "vectors.size", 1, MaxDimension);
        Distance = ReadDistance(vectors, "vectors");
        foreach (var p in vectors.EnumerateObject())
        {
            switch (p.Name)
            {
                case "on_disk": VectorsOnDisk = Bool(p.Value, "vectors.on_disk"); break;
                case "hnsw_config": ConfigSection.Hnsw.Apply(p.Value, Hnsw, "vectors.hnsw_config"); break;
                case "quantization_config": Quantization = ReadQuantization(p.Value); break;
                case "multivector_config": UnnamedMultivector = ReadMultivectorConfig(p.Value, "vectors.multivector_config"); break;
            }
        }
    }

    private static VectorParams ReadVectorParams(JsonElement json, string path)
    {
        if (!json.TryGetProperty("size", out var size)) throw CollectionException.BadJson($"missing field `size` in `{path}`");
        var v = new VectorParams { Size = PositiveInt(size, path + ".size", 1, MaxDimension), Distance = ReadDistance(json, path) };
        foreach (var p in json.EnumerateObject())
        {
            switch (p.Name)
            {
                case "on_disk": v.OnDisk = Bool(p.Value, path + ".on_disk"); break;
                case "hnsw_config" when p.Value.ValueKind != JsonValueKind.Null:
                    v.Hnsw = [];
                    ConfigSection.Hnsw.Apply(p.Value, v.Hnsw, path + ".hnsw_config");
                    break;
                case "quantization_config": v.Quantization = ReadQuantization(p.Value); break;
                case "multivector_config": v.Multivector = ReadMultivectorConfig(p.Value, path + ".multivector_config"); break;
                case "datatype" when p.Value.ValueKind != JsonValueKind.Null && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() != "float32":
                    throw CollectionException.WrongInput($"`{path}.datatype` {p.Value.GetRawText()} is not supported by this node (float32 only)");
            }
        }

        return v;
    }

    private static Distance ReadDistance(JsonElement vectors, string path)
    {
        if (!vectors.TryGetProperty("distance", out var distance)) throw CollectionException.BadJson($"missing field `distance` in `{path}`");
        if (distance.ValueKind != JsonValueKind.String || !TryParseDistance(distance.GetString(), out var d))
            throw CollectionException.BadJson($"unknown variant `{(distance.ValueKind == JsonValueKind.String ? distance.GetString() : distance.GetRawText())}`, expected one of `Cosine`, `Euclid`, `Dot`, `Manhattan` in `{path}.distance`");
        return d;
    }

    /// <summary>
    /// PATCH <c>vectors</c>: per name, <c>hnsw_config</c> keys merge over the vector's, <c>quantization_config</c>
    /// replaces it (<c>"Disabled"</c> removes it), <c>on_disk</c> is set. The unnamed vector is the name <c>""</c>.
    /// </summary>
    private void ApplyVectorsUpdate(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Null) return;
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `vectors`: expected a map of vector names, got {body.GetRawText()}");
        foreach (var named in body.EnumerateObject())
        {
            string path = $"vectors.{named.Name}";
            if (named.Value.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{path}`: expected an object, got {named.Value.GetRawText()}");
            bool unnamed = NamedVectors is null;
            var v = Vector(named.Name);
            foreach (var p in named.Value.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "hnsw_config":
                        if (unnamed) ConfigSection.Hnsw.Apply(p.Value, Hnsw, path + ".hnsw_config");
                        else if (p.Value.ValueKind != JsonValueKind.Null) ConfigSection.Hnsw.Apply(p.Value, v.Hnsw ??= [], path + ".hnsw_config");
                        break;
                    case "quantization_config":
                        var q = p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == "Disabled" ? null : ReadQuantization(p.Value);
                        if (unnamed) Quantization = q; else v.Quantization = q;
                        break;
                    case "on_disk":
                        var onDisk = Bool(p.Value, path + ".on_disk");
                        if (unnamed) VectorsOnDisk = onDisk ?? VectorsOnDisk; else v.OnDisk = onDisk ?? v.OnDisk;
                        break;
                    default: throw CollectionException.BadJson($"unknown field `{p.Name}` in `{path}`");
                }
            }
        }
    }
}
