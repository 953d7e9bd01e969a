using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using AspireVector.Node.Points;

namespace AspireVector.Node.Index.Payload;

/// <summary>
/// A <see cref="Filter"/> bound to one segment: <see cref="Matches"/> evaluates the filter on the point's payload
/// (with the segment's full-text indexes deciding <c>match.text</c>), and the payload indexes give
/// <see cref="EstimatedMatches"/> and, when the filter is selective through indexed conditions, the exact
/// <see cref="Candidates"/>. Built by <see cref="FilterPlanner"/>.
/// </summary>
/// <remarks>One instance serves one query on one thread; index look-ups are computed once, on first use.</remarks>
public sealed class SegmentFilter : PointFilter
{
    private readonly PayloadIndexSet? _indexes;
    private readonly Func<int, (PointId Id, JsonObject? Payload)> _lookup;
    private readonly Func<PointId, int?>? _offsetOf;
    private readonly int _totalPoints;
    private readonly Dictionary<Condition, HashSet<int>?> _conditionCandidates = new(ReferenceEqualityComparer.Instance);
    private bool _estimated;
    private int? _estimate;
    private bool _enumerated;
    private int[]? _candidates;

    internal SegmentFilter(Filter filter, PayloadIndexSet? indexes, Func<int, (PointId Id, JsonObject? Payload)> lookup,
        int totalPoints, Func<PointId, int?>? offsetOf)
    {
        Filter = filter;
        _indexes = indexes;
        _lookup = lookup;
        _totalPoints = totalPoints;
        _offsetOf = offsetOf;
    }

    /// <summary>The filter being applied.</summary>
    public Filter Filter { get; }

    /// <inheritdoc />
    public override bool Matches(int offset)
    {
        var (id, payload) = _lookup(offset);
        return Filter.Matches(id, payload, _indexes);
    }

    /// <inheritdoc />
    public override int? EstimatedMatches
    {
        get
        {
            if (_estimated) return _estimate;
            _estimated = true;
            var known = false;
            var estimate = Estimate(Filter, ref known);
            _estimate = known ? estimate.Exp : null;
            return _estimate;
        }
    }

    /// <summary>The full estimate (bounds and expectation) from the payload indexes.</summary>
    public CardinalityEstimate Estimate()
    {
        var known = false;
        return Estimate(Filter, ref known);
    }

    /// <inheritdoc />
    /// <remarks>Ascending offsets, each re-checked with <see cref="Matches"/>, so the set is exact.</remarks>
    public override IEnumerable<int>? Candidates
    {
        get
        {
            if (_enumerated) return _candidates;
            _enumerated = true;
            var set = CandidateSet(Filter);
            if (set is null) return null;
            var sorted = set.ToArray();
            Array.Sort(sorted);
            var exact = new List<int>(sorted.Length);
            foreach (var offset in sorted)
                if (Matches(offset)) exact.Add(offset);
            _candidates = exact.ToArray();
            return _candidates;
        }
    }

    private CardinalityEstimate Estimate(Filter filter, ref bool known)
    {
        var parts = new List<CardinalityEstimate>();
        if (filter.Must is not null)
            foreach (var c in filter.Must) parts.Add(Estimate(c, ref known));
        if (filter.Should is not null)
        {
            var any = new List<CardinalityEstimate>(filter.Should.Count);
            foreach (var c in filter.Should) any.Add(Estimate(c, ref known));
            if (filter.Should.Count == 0) known = true;
            parts.Add(CardinalityEstimate.Any(any, _totalPoints));
        }
        if (filter.MinShould is { MinCount: > 0 } minShould)
        {
            var any = new List<CardinalityEstimate>(minShould.Conditions.Count);
            foreach (var c in minShould.Conditions) any.Add(Estimate(c, ref known));
            parts.Add(CardinalityEstimate.Any(any, _totalPoints));
        }
        if (filter.MustNot is not null)
            foreach (var c in filter.MustNot) parts.Add(Estimate(c, ref known).Invert(_totalPoints));
        return CardinalityEstimate.All(parts, _totalPoints);
    }

    private CardinalityEstimate Estimate(Condition condition, ref bool known)
    {
        if (condition is FilterCondition inner) return Estimate(inner.Filter, ref known);
        var set = CandidatesOf(condition);
        if (set is null) return CardinalityEstimate.Unknown(_totalPoints);
        known = true;
        return CardinalityEstimate.Exact(Math.Min(set.Count, _totalPoints));
    }

    /// <summary>A superset of the offsets passing <paramref name="filter"/>; null when no index narrows it.</summary>
    private HashSet<int>? CandidateSet(Filter filter)
    {
        if (filter.Should is { Count: 0 }) return [];
        var sets = new List<HashSet<int>>();
        if (filter.Must is not null)
        {
            foreach (var c in filter.Must)
                if (CandidateSet(c) is { } s) sets.Add(s);
        }
        if (filter.Should is not null && UnionOf(filter.Should) is { } should) sets.Add(should);
        if (filter.MinShould is { MinCount: > 0 } minShould && UnionOf(minShould.Conditions) is { } atLeastOne) sets.Add(atLeastOne);
        if (sets.Count == 0) return null;
        sets.Sort((a, b) => a.Count.CompareTo(b.Count));
        var result = new HashSet<int>(sets[0]);
        for (var i = 1; i < sets.Count && result.Count > 0; i++) result.IntersectWith(sets[i]);
        return result;
    }

    private HashSet<int>? UnionOf(IReadOnlyList<Condition> conditions)
    {
        var union = new HashSet<int>();
        foreach (var c in conditions)
        {
            if (CandidateSet(c) is not { } s) return null;
            union.UnionWith(s);
        }
        return union;
    }

    private HashSet<int>? CandidateSet(Condition condition) =>
        condition is FilterCondition inner ? CandidateSet(inner.Filter) : CandidatesOf(condition);

    private HashSet<int>? CandidatesOf(Condition condition)
    {
        if (_conditionCandidates.TryGetValue(condition, out var cached)) return cached;
        HashSet<int>? result = null;
        switch (condition)
        {
            case FieldCondition field when _indexes is not null && _indexes.TryGet(field.Key, out var index):
                if (index.Candidates(field) is { } candidates) result = candidates as HashSet<int> ?? [.. candidates];
                break;
            case HasIdCondition hasId when _offsetOf is not null:
                result = [];
                foreach (var id in hasId.Ids)
                    if (_offsetOf(id) is { } offset) result.Add(offset);
                break;
        }
        _conditionCandidates[condition] = result;
        return result;
    }
}
