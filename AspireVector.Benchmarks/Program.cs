namespace AspireVector.Benchmarks;

/// <summary>Entry point of the benchmark commands.</summary>
public sealed class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: AspireVector.Benchmarks <command>");
        return 1;
    }
}
