using System.Globalization;
using System.Text;

namespace AspireVector.Node.Index.Payload;

/// <summary>
/// Splits text into tokens per a <c>text</c> index's params: <c>tokenizer</c> (<c>word</c> — the default — splits on
/// every non-alphanumeric character, <c>whitespace</c> on white space, <c>prefix</c> indexes every prefix of each
/// word, <c>multilingual</c> is read as <c>word</c>), <c>lowercase</c> (default true), <c>ascii_folding</c>,
/// <c>min_token_len</c>/<c>max_token_len</c> (in characters).
/// </summary>
public sealed class FullTextTokenizer
{
    private readonly string _kind;
    private readonly bool _lowercase;
    private readonly bool _asciiFolding;
    private readonly int _minLength;
    private readonly int _maxLength;

    /// <summary>Creates the tokenizer described by a <c>text</c> schema.</summary>
    public FullTextTokenizer(PayloadFieldSchema schema)
    {
        _kind = schema.StringParam("tokenizer") ?? "word";
        _lowercase = schema.BoolParam("lowercase", true);
        _asciiFolding = schema.BoolParam("ascii_folding", false);
        _minLength = schema.IntParam("min_token_len") ?? 0;
        _maxLength = schema.IntParam("max_token_len") ?? int.MaxValue;
    }

    /// <summary>Tokens of a stored document, in order (prefixes expanded for the prefix tokenizer).</summary>
    public void TokenizeDocument(string text, List<string> tokens) => Tokenize(text, tokens, expandPrefixes: _kind == "prefix");

    /// <summary>Tokens of a query, in order.</summary>
    public void TokenizeQuery(string text, List<string> tokens) => Tokenize(text, tokens, expandPrefixes: false);

    private void Tokenize(string text, List<string> tokens, bool expandPrefixes)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var separator = i == text.Length || IsSeparator(text, i);
            if (!separator)
            {
                if (start < 0) start = i;
                continue;
            }
            if (start >= 0)
            {
                Emit(text[start..i], tokens, expandPrefixes);
                start = -1;
            }
        }
    }

    private bool IsSeparator(string text, int i)
    {
        var c = text[i];
        if (_kind == "whitespace") return char.IsWhiteSpace(c);
        if (char.IsSurrogate(c)) return false;
        return !char.IsLetterOrDigit(c);
    }

    private void Emit(string word, List<string> tokens, bool expandPrefixes)
    {
        if (_lowercase) word = word.ToLowerInvariant();
        if (_asciiFolding) word = Fold(word);
        var length = new StringInfo(word).LengthInTextElements;
        if (expandPrefixes)
        {
            var elements = StringInfo.ParseCombiningCharacters(word);
            for (var n = Math.Max(1, _minLength); n <= Math.Min(length, _maxLength); n++)
            {
                var end = n < elements.Length ? elements[n] : word.Length;
                tokens.Add(word[..end]);
            }
            return;
        }
        if (length < _minLength || length > _maxLength) return;
        tokens.Add(word);
    }

    private static string Fold(string word)
    {
        var decomposed = word.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c);
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
