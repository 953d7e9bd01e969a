namespace AspireVector.Node.Filters;

/// <summary>Which named vectors the points of a segment hold (for <c>has_vector</c>), by the points' dense offsets.</summary>
public interface IPointVectors
{
    /// <summary>True when the point at <paramref name="offset"/> holds the vector named <paramref name="name"/>.</summary>
    bool HasVector(int offset, string name);
}
