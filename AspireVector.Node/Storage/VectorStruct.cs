using System.Text.Json.Nodes;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;

namespace AspireVector.Node.Storage;

/// <summary>
/// The vectors given for one point (Qdrant's <c>VectorStruct</c>), checked against the collection: dense vectors by
/// name (<c>""</c> for the unnamed one) and sparse vectors by name.
/// </summary>
/// <param name="Dense">Dense vectors by name.</param>
/// <param name="Sparse">Sparse vectors by name (sorted and validated).</param>
public readonly record struct VectorStruct(IReadOnlyDictionary<string, float[]> Dense, IReadOnlyDictionary<string, SparseVector> Sparse)
{
    /// <summary>Number of vectors named, dense and sparse.</summary>
    public int Count => Dense.Count + Sparse.Count;

    /// <summary>The point <paramref name="id"/> holding these vectors and <paramref name="payload"/>.</summary>
    public PointRecord ToRecord(PointId id, JsonObject? payload) => new(id, Dense, payload) { Sparse = Sparse };
}
