using System.Runtime.InteropServices;

namespace AspireVector.Node.Snapshots;

/// <summary>Hard links of whole folder trees, so a snapshot can hold on to files a later flush deletes.</summary>
public static partial class FileLinks
{
    /// <summary>
    /// Recreates the folders of <paramref name="source"/> under <paramref name="target"/> and hard-links every file
    /// (copies it where the platform or file system has no hard links).
    /// </summary>
    public static void LinkTree(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var dir in Directory.EnumerateDirectories(source))
            LinkTree(dir, Path.Combine(target, Path.GetFileName(dir)));
        foreach (var file in Directory.EnumerateFiles(source))
        {
            string destination = Path.Combine(target, Path.GetFileName(file));
            if (!TryLink(file, destination)) File.Copy(file, destination, overwrite: true);
        }
    }

    private static bool TryLink(string existing, string link)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            return Link(existing, link) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string link);
}
