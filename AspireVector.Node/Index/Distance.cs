namespace AspireVector.Node.Index;

/// <summary>Vector similarity functions, named as in Qdrant's API.</summary>
public enum Distance
{
    /// <summary>Cosine similarity; vectors are normalised on write, so it is a dot product. Higher is better.</summary>
    Cosine,

    /// <summary>Euclidean (L2) distance. Lower is better.</summary>
    Euclid,

    /// <summary>Dot product. Higher is better.</summary>
    Dot,

    /// <summary>Manhattan (L1) distance. Lower is better.</summary>
    Manhattan,
}
