using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary>
/// A path into a point's payload as Qdrant writes it: <c>country.cities[].population</c>, <c>a[0].b</c>,
/// <c>"key with.dots".x</c>. The first step is always an object key; <c>[]</c> walks every array element and
/// <c>[i]</c> one element. Arrays are never flattened implicitly: <c>a.b</c> on <c>{"a": [{"b": 1}]}</c> selects nothing.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed partial class PayloadKey : IEquatable<PayloadKey>
{
    private readonly PayloadKeyItem[] _rest;
    private readonly string _text;

    private PayloadKey(string firstKey, PayloadKeyItem[] rest)
    {
        FirstKey = firstKey;
        _rest = rest;
        _text = Format(firstKey, rest);
    }

    /// <summary>The top-level payload key.</summary>
    public string FirstKey { get; }

    /// <summary>The steps after <see cref="FirstKey"/>.</summary>
    public IReadOnlyList<PayloadKeyItem> Rest => _rest;

    /// <summary>True when the path ends in <c>[]</c>.</summary>
    public bool HasWildcardSuffix => _rest.Length > 0 && _rest[^1].Kind == PayloadKeyItemKind.Wildcard;

    /// <summary>Parses a key path; false with a message naming the problem when it is not a valid path.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out PayloadKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "Invalid json path: '': a payload key must not be empty";
            return false;
        }
        var pos = 0;
        if (!TryReadKey(text, ref pos, out var first))
        {
            error = $"Invalid json path: '{text}'";
            return false;
        }
        var rest = new List<PayloadKeyItem>();
        while (pos < text.Length)
        {
            var c = text[pos];
            if (c == '.')
            {
                pos++;
                if (!TryReadKey(text, ref pos, out var name))
                {
                    error = $"Invalid json path: '{text}'";
                    return false;
                }
                rest.Add(PayloadKeyItem.Key(name));
            }
            else if (c == '[')
            {
                var close = text.IndexOf(']', pos + 1);
                if (close < 0)
                {
                    error = $"Invalid json path: '{text}'";
                    return false;
                }
                var inner = text.AsSpan(pos + 1, close - pos - 1);
                if (inner.Length == 0) rest.Add(PayloadKeyItem.Wildcard);
                else if (IsDigits(inner) && int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    rest.Add(PayloadKeyItem.At(index));
                else
                {
                    error = $"Invalid json path: '{text}'";
                    return false;
                }
                pos = close + 1;
            }
            else
            {
                error = $"Invalid json path: '{text}'";
                return false;
            }
        }
        key = new PayloadKey(first, rest.ToArray());
        error = null;
        return true;
    }

    /// <summary>Parses a key path known to be valid (tests, constants); throws <see cref="FormatException"/> otherwise.</summary>
    public static PayloadKey Parse(string text) =>
        TryParse(text, out var key, out var error) ? key : throw new FormatException(error);

    /// <summary>
    /// Appends the values at this path to <paramref name="values"/>. A JSON null present at the path is added as
    /// a null entry; a missing path adds nothing. The leaf value is added as is (an array stays one array value).
    /// </summary>
    public void Select(JsonObject payload, List<JsonNode?> values)
    {
        if (!payload.TryGetPropertyValue(FirstKey, out var node)) return;
        if (_rest.Length == 0)
        {
            values.Add(node);
            return;
        }
        SelectFrom(node, 0, values);
    }

    /// <summary>The values at this path (see <see cref="Select(JsonObject, List{JsonNode})"/>).</summary>
    public List<JsonNode?> Select(JsonObject payload)
    {
        var values = new List<JsonNode?>(1);
        Select(payload, values);
        return values;
    }

    private void SelectFrom(JsonNode? node, int step, List<JsonNode?> values)
    {
        if (step == _rest.Length)
        {
            values.Add(node);
            return;
        }
        var item = _rest[step];
        switch (item.Kind)
        {
            case PayloadKeyItemKind.Key when node is JsonObject obj:
                if (obj.TryGetPropertyValue(item.Name!, out var child)) SelectFrom(child, step + 1, values);
                break;
            case PayloadKeyItemKind.Index when node is JsonArray arr:
                if (item.Index < arr.Count) SelectFrom(arr[item.Index], step + 1, values);
                break;
            case PayloadKeyItemKind.Wildcard when node is JsonArray arr:
                foreach (var element in arr) SelectFrom(element, step + 1, values);
                break;
        }
    }

    /// <summary>This path with <c>[]</c> appended unless it already ends with it (how <c>nested</c> reads its key).</summary>
    public PayloadKey ArrayKey() =>
        HasWildcardSuffix ? this : new PayloadKey(FirstKey, [.. _rest, PayloadKeyItem.Wildcard]);

    /// <summary>This path followed by <paramref name="other"/> (<c>a[]</c> + <c>b.c</c> = <c>a[].b.c</c>).</summary>
    public PayloadKey Extend(PayloadKey other) =>
        new(FirstKey, [.. _rest, PayloadKeyItem.Key(other.FirstKey), .. other._rest]);

    /// <inheritdoc />
    public bool Equals(PayloadKey? other) => other is not null && _text == other._text;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PayloadKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _text.GetHashCode(StringComparison.Ordinal);

    /// <summary>The canonical text of the path, quoting keys that need it (as Qdrant prints it).</summary>
    public override string ToString() => _text;

    private static bool TryReadKey(string text, ref int pos, out string key)
    {
        key = "";
        if (pos >= text.Length) return false;
        if (text[pos] == '"')
        {
            var close = pos + 1;
            while (close < text.Length && text[close] != '"' && text[close] != '\\') close++;
            if (close >= text.Length || text[close] != '"') return false;
            key = text.Substring(pos + 1, close - pos - 1);
            pos = close + 1;
            return true;
        }
        var start = pos;
        while (pos < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(pos), out var rune, out var used) != System.Buffers.OperationStatus.Done) break;
            if (!IsRawKeyRune(rune)) break;
            pos += used;
        }
        if (pos == start) return false;
        key = text[start..pos];
        return true;
    }

    private static bool IsRawKeyRune(Rune r) => Rune.IsLetterOrDigit(r) || r.Value == '_' || r.Value == '-';

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }

    private static bool NeedsQuoting(string key)
    {
        if (key.Length == 0) return true;
        var pos = 0;
        while (pos < key.Length)
        {
            if (Rune.DecodeFromUtf16(key.AsSpan(pos), out var rune, out var used) != System.Buffers.OperationStatus.Done) return true;
            if (!IsRawKeyRune(rune)) return true;
            pos += used;
        }
        return false;
    }

    private static string Format(string firstKey, PayloadKeyItem[] rest)
    {
        var sb = new StringBuilder();
        AppendKey(sb, firstKey);
        foreach (var item in rest)
        {
            switch (item.Kind)
            {
                case PayloadKeyItemKind.Key:
                    sb.Append('.');
                    AppendKey(sb, item.Name!);
                    break;
                case PayloadKeyItemKind.Index:
                    sb.Append('[').Append(item.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                    break;
                default:
                    sb.Append("[]");
                    break;
            }
        }
        return sb.ToString();
    }

    private static void AppendKey(StringBuilder sb, string key)
    {
        if (NeedsQuoting(key)) sb.Append('"').Append(key).Append('"');
        else sb.Append(key);
    }
}
