using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Index.Payload;

/// <summary>
/// A payload index over one field of one segment. Values are read at the field's key path; array values index each
/// element. <see cref="Candidates"/> returns a superset of the offsets whose values can satisfy a condition (the
/// caller re-checks every candidate against the payload), or null when this index cannot serve the condition.
/// </summary>
/// <remarks>
/// Concurrency: updates (from the segment's single writer) and reads (from any number of searches) are serialised
/// by a lock per field index; reads copy what they return.
/// </remarks>
public abstract class PayloadFieldIndex
{
    private readonly List<JsonNode?> _scratch = [];

    private protected PayloadFieldIndex(PayloadKey key, PayloadFieldSchema schema)
    {
        Key = key;
        Schema = schema;
    }

    /// <summary>The indexed field.</summary>
    public PayloadKey Key { get; }

    /// <summary>The schema the index was created with.</summary>
    public PayloadFieldSchema Schema { get; }

    /// <summary>The lock guarding the index structures.</summary>
    protected object Gate { get; } = new();

    /// <summary>Number of points with at least one indexed value (Qdrant's <c>points</c> in <c>payload_schema</c>).</summary>
    public int PointsCount
    {
        get
        {
            lock (Gate) return CountPoints();
        }
    }

    /// <summary>Indexes the point at <paramref name="offset"/>, replacing what was indexed for it before.</summary>
    public void Add(int offset, JsonObject? payload)
    {
        lock (Gate)
        {
            RemoveCore(offset);
            if (payload is null) return;
            _scratch.Clear();
            Key.Select(payload, _scratch);
            var values = new List<JsonNode?>(_scratch.Count);
            foreach (var value in _scratch)
            {
                if (value is JsonArray array) values.AddRange(array);
                else values.Add(value);
            }
            _scratch.Clear();
            if (values.Count > 0) AddCore(offset, values);
        }
    }

    /// <summary>Drops the point at <paramref name="offset"/> from the index.</summary>
    public void Remove(int offset)
    {
        lock (Gate) RemoveCore(offset);
    }

    /// <summary>
    /// The offsets that may satisfy <paramref name="condition"/> (a superset of the exact answer, without duplicates,
    /// in no particular order); null when the condition is not one this index serves.
    /// </summary>
    public IReadOnlyCollection<int>? Candidates(FieldCondition condition)
    {
        if (!condition.Key.Equals(Key) || condition.ValuesCount is not null || PartCount(condition) != 1) return null;
        lock (Gate) return CandidatesCore(condition);
    }

    /// <summary>Adds one point's flattened values (array elements already spread); non-indexable values are skipped.</summary>
    private protected abstract void AddCore(int offset, List<JsonNode?> values);

    private protected abstract void RemoveCore(int offset);

    private protected abstract int CountPoints();

    private protected abstract IReadOnlyCollection<int>? CandidatesCore(FieldCondition condition);

    private static int PartCount(FieldCondition c) =>
        (c.Match is null ? 0 : 1) + (c.Range is null ? 0 : 1) + (c.DatetimeRange is null ? 0 : 1) + (c.GeoRadius is null ? 0 : 1)
        + (c.GeoBoundingBox is null ? 0 : 1) + (c.GeoPolygon is null ? 0 : 1);

    /// <summary>Creates the index for a schema.</summary>
    public static PayloadFieldIndex Create(PayloadKey key, PayloadFieldSchema schema) => schema.Type switch
    {
        PayloadSchemaType.Keyword => new KeywordFieldIndex(key, schema),
        PayloadSchemaType.Integer => new IntegerFieldIndex(key, schema),
        PayloadSchemaType.Float => new FloatFieldIndex(key, schema),
        PayloadSchemaType.Geo => new GeoFieldIndex(key, schema),
        PayloadSchemaType.Text => new FullTextFieldIndex(key, schema),
        PayloadSchemaType.Bool => new BoolFieldIndex(key, schema),
        PayloadSchemaType.Datetime => new DatetimeFieldIndex(key, schema),
        _ => new UuidFieldIndex(key, schema),
    };
}
