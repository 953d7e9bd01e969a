namespace AspireVector.Benchmarks.Ann;

/// <summary>Reads TEXMEX <c>.fvecs</c>/<c>.ivecs</c> files: each record is an int32 dimension and that many values.</summary>
public static class TexmexReader
{
    /// <summary>Reads all float vectors, row-major, returning their dimension.</summary>
    public static float[] ReadFvecs(string path, out int dimension, out int count) => Read<float>(path, out dimension, out count);

    /// <summary>Reads all int vectors (ground-truth neighbour ids), row-major.</summary>
    public static int[] ReadIvecs(string path, out int dimension, out int count) => Read<int>(path, out dimension, out count);

    private static T[] Read<T>(string path, out int dimension, out int count) where T : unmanaged
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 4) throw new InvalidDataException($"{path} is empty");
        dimension = BitConverter.ToInt32(bytes, 0);
        int record = 4 + dimension * 4;
        if (dimension <= 0 || bytes.Length % record != 0) throw new InvalidDataException($"{path} is not a TEXMEX vector file");
        count = bytes.Length / record;
        var values = new T[count * dimension];
        var target = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        for (int i = 0; i < count; i++)
        {
            if (BitConverter.ToInt32(bytes, i * record) != dimension) throw new InvalidDataException($"{path}: ragged record {i}");
            bytes.AsSpan(i * record + 4, dimension * 4).CopyTo(target.Slice(i * dimension * 4));
        }
        return values;
    }
}
