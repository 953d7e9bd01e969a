namespace AspireVector.Node.Collections;

/// <summary>How a recommendation combines its positive and negative examples (Qdrant's <c>strategy</c>).</summary>
public enum RecommendStrategy
{
    /// <summary><c>average_vector</c>: one nearest-neighbour search for <c>avg_pos + avg_pos - avg_neg</c>.</summary>
    AverageVector,

    /// <summary><c>best_score</c>: each point scores by its best example; a negative one wins only when it is closer.</summary>
    BestScore,

    /// <summary><c>sum_scores</c>: similarities to positives summed, to negatives subtracted.</summary>
    SumScores,
}
