namespace AspireVector.Node.Index.Payload;

/// <summary>
/// How many points of a segment a condition keeps: bounds and an expected value, combined across clauses the
/// way Qdrant's query planner does (conditions assumed independent for the expectation).
/// </summary>
public readonly record struct CardinalityEstimate(int Min, int Exp, int Max)
{
    /// <summary>Nothing is known: anything from none to all of <paramref name="total"/>.</summary>
    public static CardinalityEstimate Unknown(int total) => new(0, total / 2, total);

    /// <summary>Exactly <paramref name="count"/> points.</summary>
    public static CardinalityEstimate Exact(int count) => new(count, count, count);

    /// <summary>All conditions hold (<c>must</c>).</summary>
    public static CardinalityEstimate All(IReadOnlyList<CardinalityEstimate> parts, int total)
    {
        if (parts.Count == 0) return Exact(total);
        if (total == 0) return Exact(0);
        long minSum = 0;
        var max = total;
        var expFraction = 1.0;
        foreach (var p in parts)
        {
            minSum += p.Min;
            max = Math.Min(max, p.Max);
            expFraction *= (double)p.Exp / total;
        }
        var min = (int)Math.Max(0, minSum - (long)(parts.Count - 1) * total);
        var exp = Math.Clamp((int)Math.Round(expFraction * total), min, max);
        return new CardinalityEstimate(Math.Min(min, max), exp, max);
    }

    /// <summary>At least one condition holds (<c>should</c>).</summary>
    public static CardinalityEstimate Any(IReadOnlyList<CardinalityEstimate> parts, int total)
    {
        if (parts.Count == 0) return Exact(0);
        if (total == 0) return Exact(0);
        var min = 0;
        long maxSum = 0;
        var noneFraction = 1.0;
        foreach (var p in parts)
        {
            min = Math.Max(min, p.Min);
            maxSum += p.Max;
            noneFraction *= 1 - (double)p.Exp / total;
        }
        var max = (int)Math.Min(total, maxSum);
        var exp = Math.Clamp((int)Math.Round((1 - noneFraction) * total), min, max);
        return new CardinalityEstimate(min, exp, max);
    }

    /// <summary>The condition does not hold (<c>must_not</c>).</summary>
    public CardinalityEstimate Invert(int total) => new(Math.Max(0, total - Max), Math.Max(0, total - Exp), Math.Max(0, total - Min));
}
