namespace AspireVector.AppHost;

/// <summary>Turns user-fixable failures into one clear line on stderr and exit code 2.</summary>
public static class AppHostErrors
{
    /// <summary>Runs <paramref name="body"/>, reporting <see cref="AppHostException"/> and bad arguments.</summary>
    public static int Report(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is AppHostException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
