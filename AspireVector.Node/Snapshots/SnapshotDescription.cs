using System.Text.Json;

namespace AspireVector.Node.Snapshots;

/// <summary>Qdrant's <c>SnapshotDescription</c>: a snapshot file as the API lists it.</summary>
/// <param name="Name">File name.</param>
/// <param name="CreationTime">When the file was written (UTC).</param>
/// <param name="Size">Bytes.</param>
/// <param name="Checksum">SHA-256 of the file, lowercase hex (from the <c>.checksum</c> sidecar), or null.</param>
public sealed record SnapshotDescription(string Name, DateTime CreationTime, long Size, string? Checksum)
{
    /// <summary>Writes <c>{"name":..,"creation_time":..,"size":..,"checksum":..}</c>.</summary>
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("name", Name);
        w.WriteString("creation_time", CreationTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteNumber("size", Size);
        if (Checksum is null) w.WriteNull("checksum");
        else w.WriteString("checksum", Checksum);
        w.WriteEndObject();
    }
}
