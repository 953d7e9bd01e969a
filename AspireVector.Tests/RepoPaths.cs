namespace AspireVector.Tests;

/// <summary>Locates the repository root and the <c>shared/</c> folder that CI places beside it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The folder holding AspireVector.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary><c>../shared</c> beside the repository.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AspireVector.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("AspireVector.sln not found above " + AppContext.BaseDirectory);
    }
}
