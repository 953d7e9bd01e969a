using AspireVector.Node.Index.Storage;

namespace AspireVector.Node.Index;

/// <summary>
/// The file of a vector index as it was at one moment, held in native memory: captured quickly while writes are held
/// off (<see cref="IVectorIndex.Capture"/>), written to disk afterwards while they go on.
/// </summary>
public sealed class IndexImage : IDisposable
{
    private readonly NativeChunkStream _bytes;

    /// <param name="fileName">Name of the index's file inside its folder.</param>
    /// <param name="bytes">The file's content; the image owns it from now on.</param>
    public IndexImage(string fileName, NativeChunkStream bytes)
    {
        FileName = fileName;
        _bytes = bytes;
    }

    /// <summary>Name of the index's file inside its folder.</summary>
    public string FileName { get; }

    /// <summary>Size of the file in bytes.</summary>
    public long Length => _bytes.Length;

    /// <summary>
    /// Writes the file under <paramref name="directory"/> and fsyncs it, via a temporary file and a rename so a crash
    /// never leaves a torn index behind.
    /// </summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            stream.SetLength(_bytes.Length);
            _bytes.WriteTo(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <inheritdoc />
    public void Dispose() => _bytes.Dispose();
}
