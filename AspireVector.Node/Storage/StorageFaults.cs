namespace AspireVector.Node.Storage;

/// <summary>
/// Fault injection for tests (<c>storage.fault_injection_file</c>, ours): while the file holds a line <c>wal</c>,
/// WAL appends and commits fail as a full disk makes them fail; a line <c>flush</c> does the same to segment flushes.
/// The file is re-read when it changes (checked at most every 100 ms); absent or empty means no faults.
/// </summary>
/// <remarks>A full disk cannot be made without root on CI (no tmpfs mount), and a file size limit kills the process
/// with SIGXFSZ instead of failing the write, so the tests go through this seam at the points where a real
/// <c>ENOSPC</c> surfaces.</remarks>
public sealed class StorageFaults(string path, TimeProvider? time = null)
{
    /// <summary>The message of the simulated failure, as the OS words <c>ENOSPC</c>.</summary>
    public const string DiskFullMessage = "No space left on device";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private bool _wal;
    private bool _flush;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;
    private DateTime _modified = DateTime.MinValue;

    /// <summary>Throws an <see cref="IOException"/> like a full disk when <paramref name="point"/> is set to fail.</summary>
    public void ThrowIfFailing(StorageFaultPoint point)
    {
        Refresh();
        bool failing = point == StorageFaultPoint.Wal ? Volatile.Read(ref _wal) : Volatile.Read(ref _flush);
        if (failing) throw new IOException(DiskFullMessage + " (injected)", StorageErrors.Enospc);
    }

    private void Refresh()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (now - _checkedAt < TimeSpan.FromMilliseconds(100)) return;
            _checkedAt = now;
            var modified = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
            if (modified == _modified) return;
            _modified = modified;
            bool wal = false, flush = false;
            if (modified != DateTime.MinValue)
            {
                foreach (var line in File.ReadAllLines(path))
                {
                    switch (line.Trim())
                    {
                        case "wal": wal = true; break;
                        case "flush": flush = true; break;
                    }
                }
            }

            Volatile.Write(ref _wal, wal);
            Volatile.Write(ref _flush, flush);
        }
    }
}
