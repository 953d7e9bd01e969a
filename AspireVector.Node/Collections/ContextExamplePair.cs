namespace AspireVector.Node.Collections;

/// <summary>A discovery context pair: results should be closer to <paramref name="Positive"/> than to <paramref name="Negative"/>.</summary>
/// <param name="Positive">The side of the space wanted.</param>
/// <param name="Negative">The side of the space not wanted.</param>
public readonly record struct ContextExamplePair(RecommendExample Positive, RecommendExample Negative);
