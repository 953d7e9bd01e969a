using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Index.Payload;

/// <summary>
/// The payload field indexes of one segment, keyed by field (the key path as Qdrant prints it). The segment calls
/// <see cref="Add"/> after every payload change of a point and <see cref="Remove"/> when the point goes away.
/// </summary>
/// <remarks>
/// Concurrency: one writer (the segment's update lock) with concurrent readers; the field map is concurrent and each
/// field index locks its own structures. An index being built is published only once it covers every given point.
/// </remarks>
public sealed class PayloadIndexSet : ITextFieldLookup
{
    private readonly ConcurrentDictionary<string, PayloadFieldIndex> _byField = new(StringComparer.Ordinal);

    /// <summary>The indexes, in no particular order.</summary>
    public IReadOnlyCollection<PayloadFieldIndex> Indexes => _byField.Values.ToArray();

    /// <summary>
    /// Creates (or replaces, when the schema differs) the index on <paramref name="key"/> and fills it from
    /// <paramref name="existing"/> points. Re-creating an index with the same schema keeps the existing one.
    /// </summary>
    public PayloadFieldIndex Create(PayloadKey key, PayloadFieldSchema schema, IEnumerable<(int Offset, JsonObject? Payload)> existing)
    {
        var field = key.ToString();
        if (_byField.TryGetValue(field, out var current) && current.Schema.SameAs(schema)) return current;
        var index = PayloadFieldIndex.Create(key, schema);
        foreach (var (offset, payload) in existing) index.Add(offset, payload);
        _byField[field] = index;
        return index;
    }

    /// <summary>Drops the index on <paramref name="field"/>; false when there was none.</summary>
    public bool Drop(string field) => _byField.TryRemove(field, out _);

    /// <summary>The index on <paramref name="key"/>, if any.</summary>
    public bool TryGet(PayloadKey key, [NotNullWhen(true)] out PayloadFieldIndex? index) => _byField.TryGetValue(key.ToString(), out index);

    /// <summary>(Re-)indexes the point at <paramref name="offset"/> with its current payload in every index.</summary>
    public void Add(int offset, JsonObject? payload)
    {
        foreach (var index in _byField.Values) index.Add(offset, payload);
    }

    /// <summary>Removes the point at <paramref name="offset"/> from every index.</summary>
    public void Remove(int offset)
    {
        foreach (var index in _byField.Values) index.Remove(offset);
    }

    /// <inheritdoc />
    public ITextMatcher? TextMatcherFor(PayloadKey key) =>
        _byField.TryGetValue(key.ToString(), out var index) ? index as FullTextFieldIndex : null;

    /// <summary>
    /// Writes Qdrant's <c>payload_schema</c> for a collection whose shards hold several segments: one entry per field,
    /// <c>points</c> summed over the segments.
    /// </summary>
    public static void WriteSchema(Utf8JsonWriter writer, IEnumerable<PayloadIndexSet> segments)
    {
        var fields = new SortedDictionary<string, (PayloadFieldSchema Schema, long Points)>(StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            foreach (var (field, index) in segment._byField)
            {
                var points = index.PointsCount + (fields.TryGetValue(field, out var seen) ? seen.Points : 0);
                fields[field] = (index.Schema, points);
            }
        }
        writer.WriteStartObject();
        foreach (var (field, (schema, points)) in fields)
        {
            writer.WritePropertyName(field);
            schema.WriteInfo(writer, points);
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes Qdrant's <c>payload_schema</c> object: <c>{"field": {"data_type", "params"?, "points"}}</c>.</summary>
    public void WriteSchema(Utf8JsonWriter writer) => WriteSchema(writer, [this]);
}
