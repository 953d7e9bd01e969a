using AspireVector.Node.Points;

namespace AspireVector.Node.Collections;

/// <summary>A recommendation example: a stored point (its vector is looked up) or a raw vector.</summary>
/// <param name="Id">The point whose vector is the example, or null.</param>
/// <param name="Vector">The example vector (already of the collection's dimension), or null.</param>
public readonly record struct RecommendExample(PointId? Id, float[]? Vector);
