using System.Buffers.Binary;

namespace AspireVector.Node.Consensus;

/// <summary>
/// Plain-file Raft storage in one directory: <c>hardstate</c> and <c>snapshot</c> are replaced atomically
/// (write temp, fsync, rename), <c>log</c> is an append-only sequence of CRC-framed entry records
/// (<c>u32 length, u32 crc, body</c>). A torn or corrupt tail is cut off on load.
/// </summary>
/// <remarks>Not thread-safe: owned by the driver loop.</remarks>
public sealed class RaftFileStorage : IRaftStorage, IDisposable
{
    private const int FrameHeader = 8;
    private readonly string _directory;
    private readonly List<(ulong Index, long Offset)> _offsets = [];
    private FileStream _log;

    /// <summary>Opens (creating if needed) the storage directory.</summary>
    public RaftFileStorage(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        _log = OpenLog();
    }

    private string LogPath => Path.Combine(_directory, "log");

    /// <inheritdoc />
    public RaftPersistentState Load()
    {
        var hardState = ReadFramedFile("hardstate") is { } hs ? RaftCodec.DecodeHardState(hs) : default;
        var snapshot = ReadFramedFile("snapshot") is { } sn ? RaftCodec.DecodeSnapshot(sn) : null;
        var entries = new List<LogEntry>();
        _offsets.Clear();
        _log.Position = 0;
        var header = new byte[FrameHeader];
        long offset = 0;
        while (true)
        {
            if (_log.ReadAtLeast(header, FrameHeader, throwOnEndOfStream: false) < FrameHeader)
            {
                break;
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (length > _log.Length - offset - FrameHeader)
            {
                break;
            }

            var body = new byte[length];
            if (_log.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) < body.Length || Crc32.Compute(body) != crc)
            {
                break;
            }

            var entry = RaftCodec.DecodeEntry(body);
            if (entries.Count > 0 && entry.Index != entries[^1].Index + 1)
            {
                break;
            }

            entries.Add(entry);
            _offsets.Add((entry.Index, offset));
            offset += FrameHeader + length;
        }

        // Cut a torn tail so later appends start on a clean frame boundary.
        if (_log.Length != offset)
        {
            _log.SetLength(offset);
            _log.Flush(flushToDisk: true);
        }

        _log.Position = offset;
        var after = snapshot?.Index ?? 0;
        return new RaftPersistentState(hardState, snapshot, entries.Where(e => e.Index > after).ToList());
    }

    /// <inheritdoc />
    public void Save(Ready ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (ready.Snapshot is { } snapshot)
        {
            WriteFramedFile("snapshot", RaftCodec.EncodeSnapshot(snapshot));
            TruncateLog(0);
        }

        if (ready.Entries.Count > 0)
        {
            TruncateLog(ready.Entries[0].Index);
            foreach (var e in ready.Entries)
            {
                AppendRecord(e);
            }

            _log.Flush(flushToDisk: true);
        }

        if (ready.HardState is { } hs)
        {
            WriteFramedFile("hardstate", RaftCodec.EncodeHardState(hs));
        }
    }

    /// <inheritdoc />
    public void SaveSnapshot(RaftSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        WriteFramedFile("snapshot", RaftCodec.EncodeSnapshot(snapshot));

        // Rewrite the log without the covered prefix; the rename makes the switch atomic.
        var keep = new List<LogEntry>();
        _log.Position = 0;
        foreach (var (index, offset) in _offsets)
        {
            if (index > snapshot.Index)
            {
                keep.Add(ReadRecordAt(offset));
            }
        }

        var temp = LogPath + ".tmp";
        using (var fresh = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var e in keep)
            {
                fresh.Write(Frame(RaftCodec.EncodeEntry(e)));
            }

            fresh.Flush(flushToDisk: true);
        }

        _log.Dispose();
        File.Move(temp, LogPath, overwrite: true);
        _log = OpenLog();
        _offsets.Clear();
        long position = 0;
        foreach (var e in keep)
        {
            _offsets.Add((e.Index, position));
            position += FrameHeader + RaftCodec.EncodeEntry(e).Length;
        }

        _log.Position = _log.Length;
    }

    /// <inheritdoc />
    public void Dispose() => _log.Dispose();

    private FileStream OpenLog() => new(LogPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);

    private void TruncateLog(ulong fromIndex)
    {
        var cut = _offsets.FindIndex(o => o.Index >= fromIndex);
        if (cut < 0)
        {
            _log.Position = _log.Length;
            return;
        }

        var offset = _offsets[cut].Offset;
        _offsets.RemoveRange(cut, _offsets.Count - cut);
        _log.SetLength(offset);
        _log.Position = offset;
    }

    private void AppendRecord(LogEntry entry)
    {
        if (_offsets.Count > 0 && entry.Index != _offsets[^1].Index + 1)
        {
            // A gap means the stored log restarts (e.g. after an installed snapshot): drop the stale records.
            TruncateLog(0);
        }

        _offsets.Add((entry.Index, _log.Position));
        _log.Write(Frame(RaftCodec.EncodeEntry(entry)));
    }

    private LogEntry ReadRecordAt(long offset)
    {
        var header = new byte[FrameHeader];
        _log.Position = offset;
        _log.ReadExactly(header);
        var body = new byte[BinaryPrimitives.ReadUInt32LittleEndian(header)];
        _log.ReadExactly(body);
        return RaftCodec.DecodeEntry(body);
    }

    private static byte[] Frame(byte[] body)
    {
        var framed = new byte[FrameHeader + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(framed, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(framed.AsSpan(4), Crc32.Compute(body));
        body.CopyTo(framed.AsSpan(FrameHeader));
        return framed;
    }

    private void WriteFramedFile(string name, byte[] body)
    {
        var path = Path.Combine(_directory, name);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(Frame(body));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private byte[]? ReadFramedFile(string name)
    {
        var path = Path.Combine(_directory, name);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < FrameHeader)
        {
            throw new InvalidDataException($"{path} is truncated");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        var body = bytes.AsSpan(FrameHeader);
        if (body.Length != length || Crc32.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)))
        {
            // Written via temp+rename, so a bad file is corruption, not a torn write: refuse rather than forget votes.
            throw new InvalidDataException($"{path} fails its checksum");
        }

        return body.ToArray();
    }
}
