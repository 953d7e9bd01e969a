namespace AspireVector.Node.Index;

/// <summary>A search hit inside one segment: the point's dense offset and its Qdrant score.</summary>
/// <param name="Offset">Segment-local dense offset of the point.</param>
/// <param name="Score">Score as Qdrant reports it (similarity for Cosine/Dot, distance for Euclid/Manhattan).</param>
public readonly record struct ScoredOffset(int Offset, float Score);
