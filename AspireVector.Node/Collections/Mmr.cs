namespace AspireVector.Node.Collections;

/// <summary>Qdrant's maximal marginal relevance (<c>{"nearest": .., "mmr": {..}}</c>): nearest neighbours, diversified.</summary>
/// <param name="Diversity">0 ranks by relevance only, 1 by diversity only (Qdrant's lambda is <c>1 - diversity</c>).</param>
/// <param name="CandidatesLimit">How many nearest neighbours the results are chosen from.</param>
public sealed record Mmr(float Diversity, int CandidatesLimit)
{
    /// <summary>Qdrant's default diversity (lambda 0.5).</summary>
    public const float DefaultDiversity = 0.5f;
}
