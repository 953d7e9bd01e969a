using System.Buffers.Binary;
using AspireVector.Node.Consensus;

namespace AspireVector.Tests.Consensus.Simulation;

/// <summary>
/// One peer of the simulation: its "disk" (hard state, snapshot, entries) survives crashes; the RaftNode and the
/// state machine (an index plus a hash chain over applied entries) are lost on crash and rebuilt on restart.
/// </summary>
internal sealed class SimulatedPeer(ulong id, RaftConfig config, int compactEvery)
{
    private readonly List<LogEntry> _storedEntries = [];
    private HardState _storedHardState;
    private RaftSnapshot? _storedSnapshot;

    public ulong Id { get; } = id;

    public RaftNode? Node { get; private set; }

    public bool Retired { get; set; }

    public bool RemovalProposed { get; set; }

    /// <summary>State machine: last applied index and the chained hash of every entry up to it.</summary>
    public ulong AppliedIndex { get; private set; }

    public ulong AppliedHash { get; private set; }

    public void Start(Random random)
    {
        var persisted = new RaftPersistentState(_storedHardState, _storedSnapshot, [.. _storedEntries]);
        Node = new RaftNode(config, random, persisted);
        (AppliedIndex, AppliedHash) = _storedSnapshot is null ? (0UL, 0UL) : DecodeImage(_storedSnapshot.Data);
    }

    public void Crash() => Node = null;

    /// <summary>Handles every pending Ready exactly as a real driver must: persist, send, apply, advance.</summary>
    public void ProcessReady(RaftSimulation sim)
    {
        var node = Node!;
        while (node.HasReady)
        {
            var ready = node.Ready();
            if (ready.Snapshot is { } snap)
            {
                _storedSnapshot = snap;
                _storedEntries.Clear();
                (AppliedIndex, AppliedHash) = DecodeImage(snap.Data);
                sim.Monitor.OnApplied(this, AppliedIndex, AppliedHash);
            }

            if (ready.Entries.Count > 0)
            {
                var first = ready.Entries[0].Index;
                _storedEntries.RemoveAll(e => e.Index >= first);
                _storedEntries.AddRange(ready.Entries);
                sim.Monitor.OnPersisted(this, ready.Entries);
            }

            if (ready.HardState is { } hs)
            {
                _storedHardState = hs;
            }

            foreach (var m in ready.Messages)
            {
                sim.Enqueue(m);
            }

            foreach (var e in ready.CommittedEntries)
            {
                if (e.Index != AppliedIndex + 1)
                {
                    throw new SimulationFailure($"peer {Id} applied {e.Index} after {AppliedIndex}");
                }

                AppliedIndex = e.Index;
                AppliedHash = Chain(AppliedHash, e);
                sim.Monitor.OnApplied(this, AppliedIndex, AppliedHash);
            }

            node.Advance(ready);
        }

        if (node.Applied != AppliedIndex)
        {
            throw new SimulationFailure($"peer {Id}: raft applied {node.Applied} but state machine at {AppliedIndex}");
        }

        if (node.Applied >= node.SnapshotIndex + (ulong)compactEvery)
        {
            var snap = node.Compact(EncodeImage(AppliedIndex, AppliedHash));
            _storedSnapshot = snap;
            _storedEntries.RemoveAll(e => e.Index <= snap.Index);
        }
    }

    /// <summary>FNV-1a style 64-bit chain: equal hashes at an index mean (overwhelmingly likely) equal applied prefixes.</summary>
    private static ulong Chain(ulong hash, LogEntry e)
    {
        const ulong prime = 0x100000001B3;
        hash = (hash ^ e.Index) * prime;
        hash = (hash ^ e.Term) * prime;
        hash = (hash ^ (byte)e.Type) * prime;
        foreach (var b in e.Data)
        {
            hash = (hash ^ b) * prime;
        }

        return hash;
    }

    private static byte[] EncodeImage(ulong index, ulong hash)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, index);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), hash);
        return bytes;
    }

    private static (ulong Index, ulong Hash) DecodeImage(byte[] image) =>
        (BinaryPrimitives.ReadUInt64LittleEndian(image), BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(8)));
}
