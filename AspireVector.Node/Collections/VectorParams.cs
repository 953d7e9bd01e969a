using System.Text.Json.Nodes;
using AspireVector.Node.Index;

namespace AspireVector.Node.Collections;

/// <summary>
/// One named vector of a collection (Qdrant's <c>VectorParams</c>): its size and distance, and the optional
/// per-vector <c>hnsw_config</c> (a diff over the collection's), <c>quantization_config</c> and <c>on_disk</c>,
/// echoed as given, and whether it holds multivectors (<c>multivector_config</c>).
/// </summary>
public sealed class VectorParams
{
    /// <summary><c>size</c>.</summary>
    public required int Size { get; init; }

    /// <summary><c>distance</c>.</summary>
    public required Distance Distance { get; init; }

    /// <summary><c>on_disk</c>, when given.</summary>
    public bool? OnDisk { get; set; }

    /// <summary><c>hnsw_config</c>: the keys given for this vector (over the collection's hnsw_config), or null.</summary>
    public JsonObject? Hnsw { get; set; }

    /// <summary><c>quantization_config</c> of this vector, or null.</summary>
    public JsonNode? Quantization { get; set; }

    /// <summary>
    /// <c>multivector_config: {"comparator": "max_sim"}</c>: each point holds a matrix of rows of <see cref="Size"/>,
    /// compared by the sum over the query's rows of their best similarity to the point's rows.
    /// </summary>
    public bool Multivector { get; set; }

    /// <summary>A deep copy (PATCH works on copies).</summary>
    public VectorParams Clone() => new()
    {
        Size = Size, Distance = Distance, OnDisk = OnDisk, Hnsw = (JsonObject?)Hnsw?.DeepClone(), Quantization = Quantization?.DeepClone(),
        Multivector = Multivector,
    };
}
