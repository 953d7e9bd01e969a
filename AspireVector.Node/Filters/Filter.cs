using System.Text.Json.Nodes;
using AspireVector.Node.Points;

namespace AspireVector.Node.Filters;

/// <summary>
/// Qdrant's <c>Filter</c>: every <c>must</c> condition matches, at least one <c>should</c> condition matches
/// (an empty <c>should</c> list matches nothing, as in Qdrant), at least <c>min_should.min_count</c> of its
/// conditions match, and no <c>must_not</c> condition matches. Absent clauses impose nothing.
/// </summary>
/// <remarks>Immutable; safe to evaluate from many threads at once.</remarks>
public sealed class Filter
{
    /// <summary>Creates a filter from its clauses (null = absent).</summary>
    public Filter(IReadOnlyList<Condition>? must = null, IReadOnlyList<Condition>? should = null,
        IReadOnlyList<Condition>? mustNot = null, MinShould? minShould = null)
    {
        Must = must;
        Should = should;
        MustNot = mustNot;
        MinShould = minShould;
    }

    /// <summary><c>must</c>, if given.</summary>
    public IReadOnlyList<Condition>? Must { get; }

    /// <summary><c>should</c>, if given.</summary>
    public IReadOnlyList<Condition>? Should { get; }

    /// <summary><c>must_not</c>, if given.</summary>
    public IReadOnlyList<Condition>? MustNot { get; }

    /// <summary><c>min_should</c>, if given.</summary>
    public MinShould? MinShould { get; }

    /// <summary>True when the point with <paramref name="id"/> and <paramref name="payload"/> passes the filter.</summary>
    public bool Matches(PointId id, JsonObject? payload) => Matches(id, payload, null);

    /// <summary>
    /// True when the point passes the filter, evaluating <c>match.text</c> on full-text indexed fields with their
    /// tokenizers (<paramref name="textFields"/>), as Qdrant does on a segment with such indexes.
    /// </summary>
    public bool Matches(PointId id, JsonObject? payload, ITextFieldLookup? textFields) =>
        Matches(new ConditionScope(id, payload ?? [], textFields, null));

    /// <summary>
    /// True when the point passes the filter, <c>has_vector</c> being answered by <paramref name="vectors"/> for the
    /// point at <paramref name="offset"/> (false without them).
    /// </summary>
    public bool MatchesPoint(PointId id, JsonObject? payload, IPointVectors? vectors, int offset) =>
        Matches(new ConditionScope(id, payload ?? [], null, null, vectors, offset));

    internal bool Matches(in ConditionScope scope)
    {
        if (Should is not null)
        {
            var any = false;
            foreach (var c in Should)
                if (c.Matches(scope)) { any = true; break; }
            if (!any) return false;
        }
        if (MinShould is not null)
        {
            var count = 0;
            foreach (var c in MinShould.Conditions)
            {
                if (count >= MinShould.MinCount) break;
                if (c.Matches(scope)) count++;
            }
            if (count < MinShould.MinCount) return false;
        }
        if (Must is not null)
            foreach (var c in Must)
                if (!c.Matches(scope)) return false;
        if (MustNot is not null)
            foreach (var c in MustNot)
                if (c.Matches(scope)) return false;
        return true;
    }
}
