using System.Globalization;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.P2P;

/// <summary>
/// Fault injection for tests (<c>cluster.p2p.fault_injection_file</c>): outgoing calls to a peer listed as
/// <c>drop http://host:port</c> fail as if the network were cut, and <c>delay http://host:port 500</c> adds latency.
/// The file is re-read when it changes (checked at most every 100 ms); absent or empty means no faults.
/// </summary>
public sealed class P2PFaults(string path)
{
    private readonly FaultInjectionFile _file = new(path);
    private Dictionary<string, TimeSpan?> _rules = [];

    /// <summary>Whether calls to <paramref name="peerUri"/> are cut off, and how much latency is added to them.</summary>
    public (bool Drop, TimeSpan Delay) Fault(string peerUri)
    {
        _file.Refresh(Parse);
        var rules = Volatile.Read(ref _rules);
        if (!rules.TryGetValue(MessageSendFailures.Key(peerUri), out var delay)) return (false, TimeSpan.Zero);
        return delay is { } d ? (false, d) : (true, TimeSpan.Zero);
    }

    private void Parse(string[] lines)
    {
        var rules = new Dictionary<string, TimeSpan?>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0] == "drop") rules[MessageSendFailures.Key(parts[1])] = null;
            else if (parts.Length >= 3 && parts[0] == "delay" && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int ms))
                rules[MessageSendFailures.Key(parts[1])] = TimeSpan.FromMilliseconds(ms);
        }

        Volatile.Write(ref _rules, rules);
    }
}
