namespace AspireVector.Node.Collections;

/// <summary>
/// Qdrant's <c>lookup_from</c>: examples given by id are points of <paramref name="Source"/>, whose vector
/// <paramref name="VectorName"/> is the example.
/// </summary>
/// <param name="Source">The collection the ids are read from (through its coordinator path, so it may be sharded).</param>
/// <param name="VectorName">The vector of <paramref name="Source"/> read (<c>""</c> for the unnamed one).</param>
/// <param name="ExcludeIds">
/// Whether the looked-up ids are still left out of the results: Qdrant's recommend and discover endpoints leave them
/// out whatever collection they come from, its query endpoint only when they are ids of the searched collection.
/// </param>
public sealed record VectorLookup(Collection Source, string VectorName, bool ExcludeIds)
{
    /// <summary>
    /// The lookup of <paramref name="source"/>'s vector <paramref name="vectorName"/> (400 when it has none) for
    /// searches of <paramref name="target"/>'s vector <paramref name="usingName"/>: 400 when the dimensions differ.
    /// </summary>
    public static VectorLookup Of(Collection source, string vectorName, Collection target, string usingName, bool excludeIds)
    {
        var from = source.Config.Vector(vectorName);
        var to = target.Config.Vector(usingName);
        int size = from.Size;
        int expected = to.Size;
        // A plain vector is a one-row multivector query, not the reverse (Qdrant's conversion rule).
        if (from.Multivector && !to.Multivector) throw Api.Rest.PointsReader.WrongMulti();
        if (size != expected) throw CollectionException.WrongInput($"Vector dimension error: expected dim: {expected}, got {size}");
        return new VectorLookup(source, vectorName, excludeIds);
    }
}
