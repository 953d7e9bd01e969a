using System.Text.Json.Nodes;

namespace AspireVector.Node.Collections;

/// <summary>
/// One sparse vector of a collection (Qdrant's <c>SparseVectorParams</c>): its <c>index</c> parameters (echoed as given:
/// the inverted index is always exact and in memory here) and its <c>modifier</c>.
/// </summary>
public sealed class SparseVectorParams
{
    /// <summary><c>index</c>: <c>on_disk</c>, <c>full_scan_threshold</c>, <c>datatype</c> as given, or null.</summary>
    public JsonObject? Index { get; set; }

    /// <summary><c>modifier: "idf"</c>: query weights are multiplied by each dimension's inverse document frequency.</summary>
    public bool Idf { get; set; }

    /// <summary>True when <c>modifier</c> was given (echoed then, as Qdrant does).</summary>
    public bool ModifierGiven { get; set; }

    /// <summary>A deep copy (PATCH works on copies).</summary>
    public SparseVectorParams Clone() => new() { Index = (JsonObject?)Index?.DeepClone(), Idf = Idf, ModifierGiven = ModifierGiven };
}
