namespace AspireVector.AppHost;

/// <summary>Entry point of the local cluster launcher.</summary>
public sealed class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("AspireVector.AppHost: not built yet.");
        return 1;
    }
}
