using AspireVector.Node.Configuration;

namespace AspireVector.Node.Storage;

/// <summary>
/// Fault injection for tests (<c>storage.fault_injection_file</c>, ours): while the file holds a line <c>wal</c>,
/// WAL appends and commits fail as a full disk makes them fail; a line <c>flush</c> does the same to segment flushes.
/// The file is re-read when it changes (checked at most every 100 ms); absent or empty means no faults.
/// </summary>
/// <remarks>A full disk cannot be made without root on CI (no tmpfs mount), and a file size limit kills the process
/// with SIGXFSZ instead of failing the write, so the tests go through this seam at the points where a real
/// <c>ENOSPC</c> surfaces.</remarks>
public sealed class StorageFaults(string path)
{
    /// <summary>The message of the simulated failure, as the OS words <c>ENOSPC</c>.</summary>
    public const string DiskFullMessage = "No space left on device";

    private readonly FaultInjectionFile _file = new(path);
    private bool _wal;
    private bool _flush;

    /// <summary>Throws an <see cref="IOException"/> like a full disk when <paramref name="point"/> is set to fail.</summary>
    public void ThrowIfFailing(StorageFaultPoint point)
    {
        _file.Refresh(Parse);
        bool failing = point == StorageFaultPoint.Wal ? Volatile.Read(ref _wal) : Volatile.Read(ref _flush);
        if (failing) throw new IOException(DiskFullMessage + " (injected)", StorageErrors.Enospc);
    }

    private void Parse(string[] lines)
    {
        Volatile.Write(ref _wal, Array.Exists(lines, l => l.Trim() == "wal"));
        Volatile.Write(ref _flush, Array.Exists(lines, l => l.Trim() == "flush"));
    }
}
