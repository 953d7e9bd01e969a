using System.Collections.Concurrent;
using AspireVector.Node.Consensus;

namespace AspireVector.Tests.Consensus;

/// <summary>In-process transport between drivers; a peer can be cut off to simulate a dead process.</summary>
internal sealed class InMemoryRaftTransport(ulong from, InMemoryRaftNetwork network) : IRaftTransport
{
    public void Send(ulong peerId, byte[] payload) => network.Route(from, peerId, payload);
}

/// <summary>Registry of the drivers of one in-process cluster.</summary>
internal sealed class InMemoryRaftNetwork
{
    private readonly ConcurrentDictionary<ulong, ConsensusDriver> _drivers = new();
    private readonly ConcurrentDictionary<ulong, bool> _isolated = new();

    public void Register(ConsensusDriver driver) => _drivers[driver.PeerId] = driver;

    public void Unregister(ulong id) => _drivers.TryRemove(id, out _);

    public void Isolate(ulong id, bool isolated) => _isolated[id] = isolated;

    public void Route(ulong from, ulong to, byte[] payload)
    {
        if (_isolated.GetValueOrDefault(from) || _isolated.GetValueOrDefault(to))
        {
            return;
        }

        if (_drivers.TryGetValue(to, out var driver))
        {
            driver.Deliver(payload);
        }
    }
}
