namespace AspireVector.Tests.AppHost;

/// <summary>Locates the repository (the folder holding AspireVector.sln) from the test's output directory.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AspireVector.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AspireVector.sln not found above " + AppContext.BaseDirectory);
    }
}
