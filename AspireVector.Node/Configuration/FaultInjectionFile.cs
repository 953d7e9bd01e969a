namespace AspireVector.Node.Configuration;

/// <summary>
/// The rule file of a fault-injection testing aid (<c>cluster.p2p.fault_injection_file</c>,
/// <c>storage.fault_injection_file</c>): re-read when it changes, checked at most every 100 ms, so a test switches
/// faults on and off by rewriting it while the node runs. Absent means no rules.
/// </summary>
public sealed class FaultInjectionFile(string path, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;
    private DateTime _modified = DateTime.MinValue;

    /// <summary>
    /// Calls <paramref name="apply"/> with the file's lines (none when it is absent) if it changed since the last
    /// check; under a lock, so rule sets are applied in the order the file had them.
    /// </summary>
    public void Refresh(Action<string[]> apply)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (now - _checkedAt < TimeSpan.FromMilliseconds(100)) return;
            _checkedAt = now;
            var modified = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
            if (modified == _modified) return;
            _modified = modified;
            apply(modified == DateTime.MinValue ? [] : File.ReadAllLines(path));
        }
    }
}
