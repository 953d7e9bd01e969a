using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace AspireVector.Node.Points;

/// <summary>
/// A point id exactly as Qdrant accepts it: an unsigned 64-bit integer or a UUID.
/// Numbers serialise as JSON numbers, UUIDs as lower-case hyphenated strings.
/// </summary>
public readonly struct PointId : IEquatable<PointId>, IComparable<PointId>
{
    private readonly ulong _num;
    private readonly Guid _uuid;

    private PointId(ulong num, Guid uuid, bool isUuid)
    {
        _num = num;
        _uuid = uuid;
        IsUuid = isUuid;
    }

    /// <summary>True when this id is a UUID; false when it is a number.</summary>
    public bool IsUuid { get; }

    /// <summary>The numeric id; only meaningful when <see cref="IsUuid"/> is false.</summary>
    public ulong Number => _num;

    /// <summary>The UUID; only meaningful when <see cref="IsUuid"/> is true.</summary>
    public Guid Uuid => _uuid;

    public static PointId FromNumber(ulong value) => new(value, Guid.Empty, false);

    public static PointId FromUuid(Guid value) => new(0, value, true);

    /// <summary>
    /// Reads an id from JSON: a non-negative integer that fits in 64 bits, or a string holding a UUID
    /// (any of the formats <see cref="Guid.TryParse(string?, out Guid)"/> accepts, as Qdrant's uuid crate does).
    /// A string of digits is not an id in JSON (serde's untagged enum rejects it); only URL paths carry numbers as text.
    /// </summary>
    public static bool TryParse(JsonElement element, out PointId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                if (element.TryGetUInt64(out var n))
                {
                    id = FromNumber(n);
                    error = null;
                    return true;
                }
                error = $"Unable to parse point id {element.GetRawText()}: expected an unsigned 64-bit integer or a UUID";
                return false;
            case JsonValueKind.String when Guid.TryParse(element.GetString(), out var uuid):
                id = FromUuid(uuid);
                error = null;
                return true;
            default:
                error = $"Unable to parse point id {element.GetRawText()}: expected an unsigned 64-bit integer or a UUID";
                return false;
        }
    }

    /// <summary>Parses an id from text, as it appears in a URL path (<c>GET /points/{id}</c>).</summary>
    public static bool TryParse(string text, out PointId id, [NotNullWhen(false)] out string? error)
    {
        if (Guid.TryParse(text, out var g))
        {
            id = FromUuid(g);
            error = null;
            return true;
        }
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            id = FromNumber(n);
            error = null;
            return true;
        }
        id = default;
        error = $"Unable to parse point id \"{text}\": expected an unsigned 64-bit integer or a UUID";
        return false;
    }

    /// <summary>Writes the id as Qdrant returns it: a number or a UUID string.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        if (IsUuid) writer.WriteStringValue(_uuid.ToString("D"));
        else writer.WriteNumberValue(_num);
    }

    public bool Equals(PointId other) => IsUuid == other.IsUuid && _num == other._num && _uuid == other._uuid;

    public override bool Equals(object? obj) => obj is PointId other && Equals(other);

    public override int GetHashCode() => IsUuid ? _uuid.GetHashCode() : _num.GetHashCode();

    /// <summary>Qdrant's order: all numeric ids first (ascending), then UUIDs (by their 128-bit value).</summary>
    public int CompareTo(PointId other)
    {
        if (IsUuid != other.IsUuid) return IsUuid ? 1 : -1;
        if (!IsUuid) return _num.CompareTo(other._num);
        return UInt128Of(_uuid).CompareTo(UInt128Of(other._uuid));
    }

    private static UInt128 UInt128Of(Guid g)
    {
        Span<byte> bytes = stackalloc byte[16];
        g.TryWriteBytes(bytes, bigEndian: true, out _);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static bool operator ==(PointId left, PointId right) => left.Equals(right);

    public static bool operator !=(PointId left, PointId right) => !left.Equals(right);

    public static bool operator <(PointId left, PointId right) => left.CompareTo(right) < 0;

    public static bool operator >(PointId left, PointId right) => left.CompareTo(right) > 0;

    public static bool operator <=(PointId left, PointId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(PointId left, PointId right) => left.CompareTo(right) >= 0;

    public override string ToString() => IsUuid ? _uuid.ToString("D") : _num.ToString(CultureInfo.InvariantCulture);
}
