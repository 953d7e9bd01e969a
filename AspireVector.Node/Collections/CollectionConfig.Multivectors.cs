using System.Text.Json;

namespace AspireVector.Node.Collections;

public sealed partial class CollectionConfig
{
    /// <summary><c>vectors.multivector_config</c> of a collection with the single unnamed vector.</summary>
    public bool UnnamedMultivector { get; private set; }

    /// <summary>True when vector <paramref name="name"/> exists and holds multivectors.</summary>
    public bool IsMultivector(string? name)
    {
        name ??= "";
        if (NamedVectors is null) return name.Length == 0 && UnnamedMultivector;
        return NamedVectors.TryGetValue(name, out var v) && v.Multivector;
    }

    /// <summary>
    /// The row size of vector <paramref name="name"/> when it holds multivectors, 0 otherwise (a plain dense or sparse
    /// vector, or no such vector): what writers of points need to give a flat multivector its rows back.
    /// </summary>
    public int MultivectorRowSize(string name) =>
        NamedVectors is null
            ? (name.Length == 0 && UnnamedMultivector ? VectorSize : 0)
            : NamedVectors.TryGetValue(name, out var v) && v.Multivector ? v.Size : 0;

    /// <summary>
    /// <c>multivector_config</c>: <c>{"comparator": "max_sim"}</c> (Qdrant's only comparator), or null for none.
    /// </summary>
    private static bool ReadMultivectorConfig(JsonElement json, string path)
    {
        if (json.ValueKind == JsonValueKind.Null) return false;
        if (json.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{path}`: expected an object, got {json.GetRawText()}");
        if (!json.TryGetProperty("comparator", out var comparator)) throw CollectionException.BadJson($"missing field `comparator` in `{path}`");
        if (comparator.ValueKind != JsonValueKind.String || comparator.GetString() != "max_sim")
            throw CollectionException.BadJson($"unknown variant `{(comparator.ValueKind == JsonValueKind.String ? comparator.GetString() : comparator.GetRawText())}`, expected `max_sim` in `{path}.comparator`");
        foreach (var p in json.EnumerateObject())
        {
            if (p.Name != "comparator") throw CollectionException.BadJson($"unknown field `{p.Name}`, expected `comparator` in `{path}`");
        }

        return true;
    }

    private static void WriteMultivectorConfig(Utf8JsonWriter w)
    {
        w.WriteStartObject("multivector_config");
        w.WriteString("comparator", "max_sim");
        w.WriteEndObject();
    }

    /// <summary>
    /// Refuses quantization of a multivector (its own <c>quantization_config</c>, or the collection's one reaching it):
    /// multivectors are stored and scored in full precision here.
    /// </summary>
    private void CheckMultivectorQuantization()
    {
        if (NamedVectors is null)
        {
            if (UnnamedMultivector && Quantization is not null)
                throw CollectionException.WrongInput("`quantization_config` of a multivector (`vectors.multivector_config`) is not supported by this node: multivectors are kept in full precision");
            return;
        }

        foreach (var (name, v) in NamedVectors)
        {
            if (v.Multivector && (v.Quantization ?? Quantization) is not null)
                throw CollectionException.WrongInput($"`quantization_config` of the multivector `{name}` is not supported by this node: multivectors are kept in full precision");
        }
    }
}
