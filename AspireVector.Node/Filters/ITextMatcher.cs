namespace AspireVector.Node.Filters;

/// <summary>Token-based text matching of a full-text index (tokenizer and normalisation from its params).</summary>
public interface ITextMatcher
{
    /// <summary>True when the stored string satisfies the text condition under this index's tokenisation.</summary>
    bool Matches(string stored, MatchText condition);
}
