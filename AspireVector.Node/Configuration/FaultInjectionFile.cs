namespace AspireVector.Node.Configuration;

/// <summary>
/// The rule file of a fault-injection testing aid (<c>cluster.p2p.fault_injection_file</c>,
/// <c>storage.fault_injection_file</c>): its modification time is checked on every use and it is re-read when it
/// changed, so a fault a test writes (or deletes) applies to the very next call: checking it at most every 100 ms
/// let a call made right after the change see the old rules, which made fault tests racy. Absent means no rules;
/// nodes without the setting never touch a file.
/// </summary>
public sealed class FaultInjectionFile(string path)
{
    private readonly Lock _lock = new();
    private DateTime _modified = DateTime.MinValue;

    /// <summary>
    /// Calls <paramref name="apply"/> with the file's lines (none when it is absent) if it changed since the last
    /// check; under a lock, so rule sets are applied in the order the file had them.
    /// </summary>
    public void Refresh(Action<string[]> apply)
    {
        lock (_lock)
        {
            var modified = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
            if (modified == _modified) return;
            _modified = modified;
            apply(modified == DateTime.MinValue ? [] : File.ReadAllLines(path));
        }
    }
}
