using AspireVector.Node.Index;

namespace AspireVector.Tests.Index;

/// <summary>A filter over a predicate, optionally advertising an estimate and candidates like a payload index.</summary>
internal sealed class PredicateFilter(Func<int, bool> predicate, int? estimate = null, IEnumerable<int>? candidates = null) : PointFilter
{
    public int Calls { get; private set; }

    public override bool Matches(int offset)
    {
        Calls++;
        return predicate(offset);
    }

    public override int? EstimatedMatches => estimate;

    public override IEnumerable<int>? Candidates => candidates;
}
