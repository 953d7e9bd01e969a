using System.Buffers.Binary;
using System.IO.Compression;
using AspireVector.Node.P2P.Grpc;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AspireVector.Tests.P2P;

public sealed class GrpcFramingTests
{
    [Fact]
    public void Frame_prefixes_flag_zero_and_big_endian_length()
    {
        var message = new StringValue { Value = "abc" };
        byte[] frame = GrpcFraming.Frame(message, 1024);
        Assert.Equal(0, frame[0]);
        Assert.Equal((uint)message.CalculateSize(), BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1, 4)));
        Assert.Equal(message.ToByteArray(), frame[5..]);
    }

    [Fact]
    public async Task Messages_split_across_one_byte_reads_are_reassembled()
    {
        var stream = new TrickleStream(Concat(
            GrpcFraming.Frame(new StringValue { Value = "first" }, 1024),
            GrpcFraming.Frame(new StringValue { Value = new string('z', 3000) }, 10_000),
            GrpcFraming.Frame(new StringValue(), 1024)));

        Assert.Equal("first", (await Read(stream))!.Value);
        Assert.Equal(new string('z', 3000), (await Read(stream))!.Value);
        Assert.Equal(string.Empty, (await Read(stream))!.Value);
        Assert.Null(await Read(stream));
    }

    [Fact]
    public async Task Stream_ending_inside_a_header_or_message_is_internal()
    {
        byte[] frame = GrpcFraming.Frame(new StringValue { Value = "truncated" }, 1024);
        var header = await Assert.ThrowsAsync<GrpcException>(() => Read(new TrickleStream(frame[..3])));
        Assert.Equal(GrpcStatusCode.Internal, header.StatusCode);
        var body = await Assert.ThrowsAsync<GrpcException>(() => Read(new TrickleStream(frame[..^2])));
        Assert.Equal(GrpcStatusCode.Internal, body.StatusCode);
    }

    [Fact]
    public async Task Declared_length_over_the_limit_is_rejected_before_reading_it()
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), 2_000_000_000);
        var ex = await Assert.ThrowsAsync<GrpcException>(() => Read(new TrickleStream(header), maxSize: 1024));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Gzip_frames_are_decompressed_and_other_encodings_unimplemented()
    {
        byte[] payload = new StringValue { Value = "compressed" }.ToByteArray();
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(payload);
        }

        byte[] compressed = buffer.ToArray();
        byte[] frame = new byte[5 + compressed.Length];
        frame[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)compressed.Length);
        compressed.CopyTo(frame, 5);

        StringValue? message = await GrpcFraming.ReadAsync(new MemoryStream(frame), StringValue.Parser, 1024, "gzip", CancellationToken.None);
        Assert.Equal("compressed", message!.Value);

        var ex = await Assert.ThrowsAsync<GrpcException>(async () => await GrpcFraming.ReadAsync(new MemoryStream(frame), StringValue.Parser, 1024, "snappy", CancellationToken.None));
        Assert.Equal(GrpcStatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Garbage_payload_is_internal_not_a_crash()
    {
        byte[] frame = [0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF];
        var ex = await Assert.ThrowsAsync<GrpcException>(() => Read(new MemoryStream(frame)));
        Assert.Equal(GrpcStatusCode.Internal, ex.StatusCode);
    }

    private static async Task<StringValue?> Read(Stream stream, int maxSize = 1 << 20) =>
        await GrpcFraming.ReadAsync(stream, StringValue.Parser, maxSize, null, CancellationToken.None);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Returns at most one byte per read, like a network that splits every frame.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= data.Length || count == 0)
            {
                return 0;
            }

            buffer[offset] = data[_position++];
            return 1;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
