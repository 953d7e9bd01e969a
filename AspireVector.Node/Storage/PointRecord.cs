using System.Text.Json.Nodes;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;

namespace AspireVector.Node.Storage;

/// <summary>
/// One point of an upsert (or of a vector update): id, its vectors by name (already normalised for Cosine) and
/// optional payload, plus its sparse vectors by name (<see cref="Sparse"/>). The unnamed vector has the name <c>""</c>;
/// a point may hold any subset of its collection's names.
/// </summary>
/// <param name="Id">The point id.</param>
/// <param name="Vectors">The dense vectors by name; each has its vector's dimension.</param>
/// <param name="Payload">The payload object, or null for none.</param>
public sealed record PointRecord(PointId Id, IReadOnlyDictionary<string, float[]> Vectors, JsonObject? Payload)
{
    /// <summary>A point with only the unnamed vector.</summary>
    public PointRecord(PointId id, float[] vector, JsonObject? payload) : this(id, Unnamed(vector), payload)
    {
    }

    /// <summary>The sparse vectors by name (sorted and validated); empty when the point holds none.</summary>
    public IReadOnlyDictionary<string, SparseVector> Sparse { get; init; } = NoSparse;

    /// <summary>An empty sparse map, shared.</summary>
    public static IReadOnlyDictionary<string, SparseVector> NoSparse { get; } = new Dictionary<string, SparseVector>();

    /// <summary>The unnamed vector, or null when the point has none.</summary>
    public float[]? Vector => Vectors.GetValueOrDefault("");

    /// <summary>True when the point holds exactly the unnamed vector (the layout every single-vector collection uses).</summary>
    public bool IsUnnamedOnly => Vectors.Count == 1 && Vectors.ContainsKey("") && Sparse.Count == 0;

    /// <summary>A map holding <paramref name="vector"/> as the unnamed vector.</summary>
    public static Dictionary<string, float[]> Unnamed(float[] vector) => new(1, StringComparer.Ordinal) { [""] = vector };
}
