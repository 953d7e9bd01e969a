using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using Google.Protobuf;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>
/// The gRPC length-prefixed message: 1 byte compressed flag, 4 bytes big-endian length, then the protobuf bytes.
/// </summary>
/// <remarks>Reads tolerate any split of a frame across network reads (the stream reads until it has the whole frame).</remarks>
public static class GrpcFraming
{
    /// <summary>Serializes <paramref name="message"/> with its 5-byte prefix into a new array.</summary>
    /// <exception cref="GrpcException">RESOURCE_EXHAUSTED when the message exceeds <paramref name="maxMessageSize"/>.</exception>
    public static byte[] Frame(IMessage message, int maxMessageSize)
    {
        int size = CheckSendSize(message, maxMessageSize);
        var buffer = new byte[GrpcProtocol.FrameHeaderSize + size];
        WriteHeader(buffer, size);
        message.WriteTo(buffer.AsSpan(GrpcProtocol.FrameHeaderSize));
        return buffer;
    }

    /// <summary>Writes <paramref name="message"/> with its prefix to <paramref name="writer"/> without an intermediate copy.</summary>
    public static ValueTask<FlushResult> WriteAsync(PipeWriter writer, IMessage message, int maxMessageSize, CancellationToken cancellationToken)
    {
        int size = CheckSendSize(message, maxMessageSize);
        Span<byte> span = writer.GetSpan(GrpcProtocol.FrameHeaderSize + size);
        WriteHeader(span, size);
        message.WriteTo(span.Slice(GrpcProtocol.FrameHeaderSize, size));
        writer.Advance(GrpcProtocol.FrameHeaderSize + size);
        return writer.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Reads the next message from <paramref name="stream"/> and parses it with <paramref name="parser"/>.
    /// </summary>
    /// <param name="stream">The HTTP/2 body.</param>
    /// <param name="parser">The protobuf parser of the expected message type.</param>
    /// <param name="maxMessageSize">Largest accepted message, after decompression.</param>
    /// <param name="encoding">The peer's <c>grpc-encoding</c> header, needed for compressed frames.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The message, or null when the stream ended cleanly before a new frame.</returns>
    /// <exception cref="GrpcException">INTERNAL for truncated or unparsable frames, RESOURCE_EXHAUSTED for
    /// oversized ones, UNIMPLEMENTED for compressions other than gzip.</exception>
    public static async ValueTask<T?> ReadAsync<T>(Stream stream, MessageParser<T> parser, int maxMessageSize, string? encoding, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        byte[] header = ArrayPool<byte>.Shared.Rent(GrpcProtocol.FrameHeaderSize);
        try
        {
            int read = await stream.ReadAtLeastAsync(header.AsMemory(0, GrpcProtocol.FrameHeaderSize), GrpcProtocol.FrameHeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            if (read < GrpcProtocol.FrameHeaderSize)
            {
                throw new GrpcException(GrpcStatusCode.Internal, "Incomplete message: the stream ended inside a frame header.");
            }

            byte flag = header[0];
            uint length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1, 4));
            if (flag > 1)
            {
                throw new GrpcException(GrpcStatusCode.Internal, $"Invalid compressed flag {flag} in message prefix.");
            }

            if (length > (uint)maxMessageSize)
            {
                throw new GrpcException(GrpcStatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {maxMessageSize}).");
            }

            byte[] payload = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
            try
            {
                try
                {
                    await stream.ReadExactlyAsync(payload.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
                }
                catch (EndOfStreamException ex)
                {
                    throw new GrpcException(GrpcStatusCode.Internal, "Incomplete message: the stream ended inside a message.", ex);
                }

                return flag == 0
                    ? Parse(parser, payload.AsSpan(0, (int)length))
                    : Parse(parser, Decompress(payload.AsSpan(0, (int)length), encoding, maxMessageSize));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(payload);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> bytes)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new GrpcException(GrpcStatusCode.Internal, "Failed to deserialize message: " + ex.Message, ex);
        }
    }

    private static byte[] Decompress(ReadOnlySpan<byte> compressed, string? encoding, int maxMessageSize)
    {
        if (!string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            throw new GrpcException(GrpcStatusCode.Unimplemented, $"Compressed message received with unsupported grpc-encoding '{encoding ?? "identity"}'; supported: {GrpcProtocol.AcceptedEncodings}.");
        }

        using var input = new MemoryStream(compressed.ToArray(), writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int n;
            while ((n = gzip.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + n > maxMessageSize)
                {
                    throw new GrpcException(GrpcStatusCode.ResourceExhausted, $"Decompressed message larger than max ({maxMessageSize}).");
                }

                output.Write(chunk, 0, n);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new GrpcException(GrpcStatusCode.Internal, "Failed to decompress gzip message: " + ex.Message, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return output.ToArray();
    }

    private static int CheckSendSize(IMessage message, int maxMessageSize)
    {
        int size = message.CalculateSize();
        if (size > maxMessageSize)
        {
            throw new GrpcException(GrpcStatusCode.ResourceExhausted, $"Sending message larger than max ({size} vs. {maxMessageSize}).");
        }

        return size;
    }

    private static void WriteHeader(Span<byte> destination, int size)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(1, 4), (uint)size);
    }
}
