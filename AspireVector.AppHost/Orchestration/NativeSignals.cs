using System.Runtime.InteropServices;

namespace AspireVector.AppHost.Orchestration;

/// <summary>Sends POSIX signals to child processes (.NET only offers SIGKILL through <c>Process.Kill</c>).</summary>
internal static partial class NativeSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks <paramref name="pid"/> to shut down gracefully; false if the signal could not be sent.</summary>
    public static bool Terminate(int pid) => !OperatingSystem.IsWindows() && Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
