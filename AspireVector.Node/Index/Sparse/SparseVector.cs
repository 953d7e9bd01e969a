using System.Text.Json;

namespace AspireVector.Node.Index.Sparse;

/// <summary>
/// A sparse vector (Qdrant's <c>SparseVector</c>): dimension ids and their weights, sorted by id with no id twice, as
/// Qdrant keeps them (it sorts what it is given; the order sent is not kept).
/// </summary>
public sealed class SparseVector : IEquatable<SparseVector>
{
    private SparseVector(uint[] indices, float[] values)
    {
        Indices = indices;
        Values = values;
    }

    /// <summary>Dimension ids, ascending and unique.</summary>
    public uint[] Indices { get; }

    /// <summary>The weight of each id in <see cref="Indices"/>.</summary>
    public float[] Values { get; }

    /// <summary>Number of stored dimensions.</summary>
    public int Count => Indices.Length;

    /// <summary>An empty vector (no dimensions).</summary>
    public static SparseVector Empty { get; } = new([], []);

    /// <summary>
    /// Validates and sorts <paramref name="indices"/>/<paramref name="values"/> (the arrays are taken over). Returns
    /// null with Qdrant's validation wording (<c>values: must be the same length as indices</c>, <c>indices: must be
    /// unique</c>) in <paramref name="error"/> when they are not a sparse vector.
    /// </summary>
    public static SparseVector? TryCreate(uint[] indices, float[] values, out string? error)
    {
        error = null;
        if (indices.Length != values.Length) error = "values: must be the same length as indices";
        else
        {
            if (!IsSorted(indices)) Array.Sort(indices, values);
            for (int i = 1; i < indices.Length; i++)
            {
                if (indices[i] == indices[i - 1])
                {
                    error = "indices: must be unique";
                    break;
                }
            }
        }

        return error is null ? new SparseVector(indices, values) : null;
    }

    /// <summary>A vector already known to be sorted and unique (decoded from storage written by this node).</summary>
    public static SparseVector FromSorted(uint[] indices, float[] values)
    {
        if (indices.Length != values.Length) throw new InvalidDataException("sparse vector with different lengths of indices and values");
        for (int i = 1; i < indices.Length; i++)
        {
            if (indices[i] <= indices[i - 1]) throw new InvalidDataException("sparse vector indices not strictly ascending");
        }

        return new SparseVector(indices, values);
    }

    /// <summary>
    /// Dot product over the ids both vectors hold, or null when they share none (Qdrant scores only overlapping vectors).
    /// </summary>
    public float? Score(SparseVector other)
    {
        float score = 0;
        bool overlap = false;
        int i = 0, j = 0;
        var a = Indices;
        var b = other.Indices;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] < b[j]) i++;
            else if (a[i] > b[j]) j++;
            else
            {
                overlap = true;
                score += Values[i++] * other.Values[j++];
            }
        }

        return overlap ? score : null;
    }

    /// <summary>Writes Qdrant's JSON shape, <c>{"indices": [..], "values": [..]}</c>.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartArray("indices");
        foreach (uint i in Indices) w.WriteNumberValue(i);
        w.WriteEndArray();
        w.WriteStartArray("values");
        foreach (float x in Values) w.WriteNumberValue(x);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static bool IsSorted(uint[] indices)
    {
        for (int i = 1; i < indices.Length; i++)
        {
            if (indices[i] <= indices[i - 1]) return false;
        }

        return true;
    }

    /// <inheritdoc />
    public bool Equals(SparseVector? other) =>
        other is not null && Indices.AsSpan().SequenceEqual(other.Indices) && Values.AsSpan().SequenceEqual(other.Values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SparseVector);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Indices.Length, Indices.Length > 0 ? Indices[0] : 0u);
}
