using System.Buffers.Binary;

namespace AspireVector.Node.Consensus;

/// <summary>
/// Compact binary wire format of Raft messages, entries, snapshots and membership changes (little-endian,
/// varint-free fixed-width integers; byte arrays are length-prefixed). Used for P2P payloads and for storage.
/// </summary>
public static class RaftCodec
{
    private const byte FormatVersion = 1;

    /// <summary>Encodes a membership change.</summary>
    public static byte[] EncodeConfChange(ConfChange change)
    {
        var bytes = new byte[9];
        bytes[0] = (byte)change.Type;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(1), change.NodeId);
        return bytes;
    }

    /// <summary>Decodes what <see cref="EncodeConfChange"/> produced.</summary>
    public static ConfChange DecodeConfChange(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 9 || bytes[0] > (byte)ConfChangeType.RemoveNode)
        {
            throw new FormatException("malformed membership change");
        }

        return new ConfChange((ConfChangeType)bytes[0], BinaryPrimitives.ReadUInt64LittleEndian(bytes[1..]));
    }

    /// <summary>Encodes a message for the P2P transport.</summary>
    public static byte[] EncodeMessage(RaftMessage m)
    {
        var w = new RaftBinaryWriter();
        w.Byte(FormatVersion);
        w.Byte((byte)m.Type);
        w.U64(m.To);
        w.U64(m.From);
        w.U64(m.Term);
        w.U64(m.LogTerm);
        w.U64(m.Index);
        w.U64(m.Commit);
        w.Byte(m.Reject ? (byte)1 : (byte)0);
        w.U64(m.RejectHint);
        w.U32((uint)m.Entries.Count);
        foreach (var e in m.Entries)
        {
            WriteEntry(ref w, e);
        }

        w.Byte(m.Snapshot is null ? (byte)0 : (byte)1);
        if (m.Snapshot is { } s)
        {
            WriteSnapshot(ref w, s);
        }

        return w.ToArray();
    }

    /// <summary>Decodes what <see cref="EncodeMessage"/> produced; throws <see cref="FormatException"/> on garbage.</summary>
    public static RaftMessage DecodeMessage(ReadOnlySpan<byte> bytes)
    {
        var r = new RaftBinaryReader(bytes);
        if (r.Byte() != FormatVersion)
        {
            throw new FormatException("unknown raft message format version");
        }

        var type = (RaftMessageType)r.Byte();
        if (!Enum.IsDefined(type))
        {
            throw new FormatException($"unknown raft message type {(byte)type}");
        }

        var to = r.U64();
        var from = r.U64();
        var term = r.U64();
        var logTerm = r.U64();
        var index = r.U64();
        var commit = r.U64();
        var reject = r.Byte() != 0;
        var hint = r.U64();
        var count = r.U32();
        if (count > (uint)bytes.Length)
        {
            throw new FormatException("entry count exceeds message size");
        }

        var entries = new LogEntry[count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = ReadEntry(ref r);
        }

        var snapshot = r.Byte() != 0 ? ReadSnapshot(ref r) : null;
        r.EnsureEnd();
        return new RaftMessage
        {
            Type = type, To = to, From = from, Term = term, LogTerm = logTerm, Index = index, Commit = commit,
            Reject = reject, RejectHint = hint, Entries = entries, Snapshot = snapshot,
        };
    }

    /// <summary>Encodes one log entry (storage record body).</summary>
    public static byte[] EncodeEntry(LogEntry entry)
    {
        var w = new RaftBinaryWriter();
        WriteEntry(ref w, entry);
        return w.ToArray();
    }

    /// <summary>Decodes what <see cref="EncodeEntry"/> produced.</summary>
    public static LogEntry DecodeEntry(ReadOnlySpan<byte> bytes)
    {
        var r = new RaftBinaryReader(bytes);
        var e = ReadEntry(ref r);
        r.EnsureEnd();
        return e;
    }

    /// <summary>Encodes a snapshot (storage file body).</summary>
    public static byte[] EncodeSnapshot(RaftSnapshot snapshot)
    {
        var w = new RaftBinaryWriter();
        WriteSnapshot(ref w, snapshot);
        return w.ToArray();
    }

    /// <summary>Decodes what <see cref="EncodeSnapshot"/> produced.</summary>
    public static RaftSnapshot DecodeSnapshot(ReadOnlySpan<byte> bytes)
    {
        var r = new RaftBinaryReader(bytes);
        var s = ReadSnapshot(ref r);
        r.EnsureEnd();
        return s;
    }

    /// <summary>Encodes a hard state (24 bytes).</summary>
    public static byte[] EncodeHardState(HardState hs)
    {
        var w = new RaftBinaryWriter();
        w.U64(hs.Term);
        w.U64(hs.Vote);
        w.U64(hs.Commit);
        return w.ToArray();
    }

    /// <summary>Decodes what <see cref="EncodeHardState"/> produced.</summary>
    public static HardState DecodeHardState(ReadOnlySpan<byte> bytes)
    {
        var r = new RaftBinaryReader(bytes);
        var hs = new HardState(r.U64(), r.U64(), r.U64());
        r.EnsureEnd();
        return hs;
    }

    private static void WriteEntry(ref RaftBinaryWriter w, LogEntry e)
    {
        w.U64(e.Term);
        w.U64(e.Index);
        w.Byte((byte)e.Type);
        w.Bytes(e.Data);
    }

    private static LogEntry ReadEntry(ref RaftBinaryReader r)
    {
        var term = r.U64();
        var index = r.U64();
        var type = (LogEntryType)r.Byte();
        if (!Enum.IsDefined(type))
        {
            throw new FormatException($"unknown entry type {(byte)type}");
        }

        return new LogEntry(term, index, type, r.Bytes());
    }

    private static void WriteSnapshot(ref RaftBinaryWriter w, RaftSnapshot s)
    {
        w.U64(s.Index);
        w.U64(s.Term);
        WriteIds(ref w, s.Conf.Voters);
        WriteIds(ref w, s.Conf.Learners);
        w.Bytes(s.Data);
    }

    private static RaftSnapshot ReadSnapshot(ref RaftBinaryReader r)
    {
        var index = r.U64();
        var term = r.U64();
        var voters = ReadIds(ref r);
        var learners = ReadIds(ref r);
        return new RaftSnapshot(index, term, new ConfState(voters, learners), r.Bytes());
    }

    private static void WriteIds(ref RaftBinaryWriter w, IReadOnlyList<ulong> ids)
    {
        w.U32((uint)ids.Count);
        foreach (var id in ids)
        {
            w.U64(id);
        }
    }

    private static ulong[] ReadIds(ref RaftBinaryReader r)
    {
        var count = r.U32();
        if (count > 1_000_000)
        {
            throw new FormatException("implausible member count");
        }

        var ids = new ulong[count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = r.U64();
        }

        return ids;
    }
}
