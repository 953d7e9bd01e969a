using System.Globalization;
using System.Text;

namespace AspireVector.Node.Storage;

/// <summary>
/// The <c>checksums</c> file of a flushed segment: CRC-32C and length of every file in it (vectors, graph, id map,
/// versions, payloads), written last when the segment is saved and checked before it is loaded, so a truncated or
/// overwritten file is refused instead of being served as wrong vectors or payloads.
/// </summary>
internal static class SegmentChecksums
{
    /// <summary>Name of the checksum file inside a segment folder.</summary>
    public const string FileName = "checksums";

    private const string Header = "crc32c v1";
    private const string Trailer = "end ";

    /// <summary>Records every file under <paramref name="directory"/> and fsyncs the list.</summary>
    public static void Write(string directory)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var (relative, full) in Files(directory))
        {
            var (crc, length) = Crc32C.OfFile(full);
            text.Append(CultureInfo.InvariantCulture, $"{crc:x8} {length} {relative}\n");
        }

        // The list checks itself too: a truncated or overwritten list must not read as a shorter valid one.
        uint listCrc = Crc32C.Append(0, Encoding.UTF8.GetBytes(text.ToString()));
        text.Append(CultureInfo.InvariantCulture, $"{Trailer}{listCrc:x8}\n");

        using var stream = new FileStream(Path.Combine(directory, FileName), FileMode.Create, FileAccess.Write);
        stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Checks every listed file; throws <see cref="InvalidDataException"/> naming the first damaged one (by its name in
    /// the segment, never the full path). Returns false when the segment predates checksums (nothing to check).
    /// </summary>
    public static bool Verify(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return false;
        string text = File.ReadAllText(path, Encoding.UTF8);
        int trailer = text.LastIndexOf('\n', Math.Max(0, text.Length - 2)) + 1;
        if (!text.StartsWith(Header + "\n", StringComparison.Ordinal) || !text.EndsWith('\n')
            || string.CompareOrdinal(text, trailer, Trailer, 0, Trailer.Length) != 0
            || !uint.TryParse(text.AsSpan(trailer + Trailer.Length, text.Length - trailer - Trailer.Length - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint listCrc)
            || listCrc != Crc32C.Append(0, Encoding.UTF8.GetBytes(text[..trailer])))
            throw new InvalidDataException($"segment file `{FileName}` is truncated or damaged");
        var lines = text[..trailer].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 1; i < lines.Length; i++)
        {
            var parts = lines[i].Split(' ', 3);
            if (parts.Length != 3
                || !uint.TryParse(parts[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint expectedCrc)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long expectedLength)
                || parts[2].Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(parts[2]))
                throw new InvalidDataException($"segment file `{FileName}` is damaged (line {i + 1})");
            string file = Path.Combine(directory, parts[2]);
            if (!File.Exists(file)) throw new InvalidDataException($"segment file `{parts[2]}` is missing");
            var (crc, length) = Crc32C.OfFile(file);
            if (length != expectedLength)
                throw new InvalidDataException($"segment file `{parts[2]}` is truncated or extended ({length} bytes, {expectedLength} written)");
            if (crc != expectedCrc)
                throw new InvalidDataException($"segment file `{parts[2]}` fails its checksum (crc32c {crc:x8}, {expectedCrc:x8} written)");
        }

        return true;
    }

    private static IEnumerable<(string Relative, string Full)> Files(string directory)
    {
        var files = new List<(string, string)>();
        foreach (var full in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(directory, full).Replace('\\', '/');
            if (relative == FileName || relative.EndsWith(".tmp", StringComparison.Ordinal)) continue;
            files.Add((relative, full));
        }

        files.Sort(static (a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return files;
    }
}
