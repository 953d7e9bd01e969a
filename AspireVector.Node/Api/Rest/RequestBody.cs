using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Api.Rest;

/// <summary>Reads a request body as JSON under the configured size limit (<c>service.max_request_size_mb</c>).</summary>
public static class RequestBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>Parses the body; 413 when it is over the limit, 400 when it is not JSON (or not UTF-8).</summary>
    public static async Task<JsonDocument> ReadAsync(HttpContext context, NodeOptions options)
    {
        long limit = (long)options.Service.MaxRequestSizeMb << 20;
        if (context.Request.ContentLength is long length && length > limit)
            throw new CollectionException(413, $"Payload error: JSON payload ({length} bytes) is larger than allowed (limit: {limit} bytes).");
        using var limited = new LimitedStream(context.Request.Body, limit);
        using var body = new MemoryStream(context.Request.ContentLength is long known ? (int)known : 0);
        await limited.CopyToAsync(body, context.RequestAborted);
        var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
        // The parser checks UTF-8 only when a string is read, which would surface as an InvalidOperationException
        // deep inside a handler: reject the whole body up front instead.
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
            throw new CollectionException(400, "Format error in JSON body: the body is not valid UTF-8");
        try
        {
            return JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException e)
        {
            throw new CollectionException(400, "Format error in JSON body: " + e.Message);
        }
    }

    /// <summary>Counts bytes read and fails with 413 past the limit (bodies without Content-Length).</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int n)
        {
            _read += n;
            if (_read > limit) throw new CollectionException(413, $"Payload error: JSON payload is larger than allowed (limit: {limit} bytes).");
            return n;
        }
    }
}
