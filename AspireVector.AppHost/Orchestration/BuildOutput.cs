using System.Reflection;
using AspireVector.AppHost.Hosting;

namespace AspireVector.AppHost.Orchestration;

/// <summary>Finds a project's built dll (<c>bin/&lt;Configuration&gt;/&lt;tfm&gt;/&lt;Project&gt;.dll</c>); the launcher never builds.</summary>
public static class BuildOutput
{
    /// <summary>Configuration the AppHost itself was built with; siblings are looked up there first.</summary>
    public static string Configuration { get; } = Metadata("AppHostConfiguration") ?? "Debug";

    /// <summary>Target framework of the AppHost build.</summary>
    public static string TargetFramework { get; } = Metadata("AppHostTargetFramework") ?? "net10.0";

    /// <summary>The dll of <paramref name="resource"/>; throws a "build first" error naming the path when absent.</summary>
    public static string DllPath(ProjectResource resource)
    {
        var projectDirectory = Path.GetDirectoryName(resource.ProjectPath)!;
        var dllName = Path.GetFileNameWithoutExtension(resource.ProjectPath) + ".dll";
        var expected = Path.Combine(projectDirectory, "bin", Configuration, TargetFramework, dllName);
        if (File.Exists(expected))
        {
            return expected;
        }

        throw new AppHostException(
            $"Build output of '{resource.Name}' is missing: {expected}. " +
            $"Run 'dotnet build -c {Configuration}' first (or 'dotnet run --project AspireVector.AppHost', which builds it).");
    }

    private static string? Metadata(string key) =>
        typeof(BuildOutput).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
}
