using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Index.Payload;

/// <summary>
/// A <c>text</c> index: token postings of the strings under the key. It also defines what <c>match.text</c> means
/// for the field (Qdrant: every query token among the document's tokens; <c>text_any</c>: one of them;
/// <c>phrase</c>: the query tokens consecutively), which is why it is an <see cref="ITextMatcher"/>.
/// </summary>
public sealed class FullTextFieldIndex : PayloadFieldIndex, ITextMatcher
{
    private readonly PostingLists<string> _postings = new(StringComparer.Ordinal);
    private readonly FullTextTokenizer _tokenizer;

    internal FullTextFieldIndex(PayloadKey key, PayloadFieldSchema schema) : base(key, schema) =>
        _tokenizer = new FullTextTokenizer(schema);

    /// <inheritdoc />
    public bool Matches(string stored, MatchText condition)
    {
        var query = new List<string>();
        _tokenizer.TokenizeQuery(condition.Text, query);
        if (query.Count == 0) return false;
        var document = new List<string>();
        _tokenizer.TokenizeDocument(stored, document);
        switch (condition.Kind)
        {
            case TextMatchKind.Text:
                foreach (var token in query)
                    if (!document.Contains(token)) return false;
                return true;
            case TextMatchKind.TextAny:
                foreach (var token in query)
                    if (document.Contains(token)) return true;
                return false;
            default:
                for (var start = 0; start + query.Count <= document.Count; start++)
                {
                    var i = 0;
                    while (i < query.Count && document[start + i] == query[i]) i++;
                    if (i == query.Count) return true;
                }
                return false;
        }
    }

    private protected override void AddCore(int offset, List<JsonNode?> values)
    {
        var tokens = new List<string>();
        foreach (var value in values)
            if (PayloadValue.TryGetString(value, out var s)) _tokenizer.TokenizeDocument(s, tokens);
        _postings.Add(offset, tokens);
    }

    private protected override void RemoveCore(int offset) => _postings.Remove(offset);

    private protected override int CountPoints() => _postings.PointCount;

    private protected override IReadOnlyCollection<int>? CandidatesCore(FieldCondition condition)
    {
        if (condition.Match is not MatchText text) return null;
        var query = new List<string>();
        _tokenizer.TokenizeQuery(text.Text, query);
        return text.Kind == TextMatchKind.TextAny ? _postings.Union(query) : _postings.Intersection(query);
    }
}
