using System.Globalization;
using System.Net;
using System.Net.Http;
using Google.Protobuf;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>
/// Client-side state of one call after its request went out: reads response messages, then the status trailers,
/// and maps every transport failure to a <see cref="GrpcException"/>.
/// </summary>
internal sealed class P2PClientCall : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _callerToken;
    private readonly P2PChannelOptions _options;
    private readonly Uri _target;
    private HttpResponseMessage? _response;
    private Stream? _stream;
    private string? _encoding;
    private bool _finished;

    public P2PClientCall(CancellationTokenSource cts, CancellationToken callerToken, P2PChannelOptions options, Uri target)
    {
        _cts = cts;
        _callerToken = callerToken;
        _options = options;
        _target = target;
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>Checks the response headers; a trailers-only response ends the call here.</summary>
    public async Task AcceptAsync(HttpResponseMessage response)
    {
        _response = response;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new GrpcException(GrpcProtocol.FromHttpStatus((int)response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}");
        }

        if (TryGetStatus(response.Headers, out GrpcStatusCode code, out string detail))
        {
            _finished = true;
            if (code != GrpcStatusCode.OK)
            {
                throw new GrpcException(code, detail);
            }

            return;
        }

        string? contentType = response.Content.Headers.ContentType?.MediaType;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw new GrpcException(GrpcStatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}");
        }

        _encoding = response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var encodings) ? encodings.FirstOrDefault() : null;
        _stream = await response.Content.ReadAsStreamAsync(_cts.Token).ConfigureAwait(false);
    }

    /// <summary>Reads the next response message; null at the end of a successful call.</summary>
    public async Task<T?> ReadNextAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        if (_finished)
        {
            return null;
        }

        try
        {
            T? message = await GrpcFraming.ReadAsync(_stream!, parser, _options.MaxReceiveMessageSize, _encoding, _cts.Token).ConfigureAwait(false);
            if (message is not null)
            {
                return message;
            }

            _finished = true;
            if (!TryGetStatus(_response!.TrailingHeaders, out GrpcStatusCode code, out string detail))
            {
                throw new GrpcException(GrpcStatusCode.Internal, "No grpc-status found on response.");
            }

            if (code != GrpcStatusCode.OK)
            {
                throw new GrpcException(code, detail);
            }

            return null;
        }
        catch (Exception ex)
        {
            throw Map(ex);
        }
    }

    /// <summary>Reads the single message of a unary response and its OK status.</summary>
    public async Task<T> ReadUnaryAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        T message = await ReadNextAsync(parser).ConfigureAwait(false)
            ?? throw new GrpcException(GrpcStatusCode.Internal, "Failed to deserialize response message: the call ended without one.");
        if (await ReadNextAsync(parser).ConfigureAwait(false) is not null)
        {
            throw new GrpcException(GrpcStatusCode.Internal, "Multiple messages returned for a unary call.");
        }

        return message;
    }

    /// <summary>Translates a transport or cancellation failure into the gRPC status a caller expects.</summary>
    public GrpcException Map(Exception ex)
    {
        if (ex is GrpcException grpc)
        {
            return grpc;
        }

        if (_callerToken.IsCancellationRequested)
        {
            return new GrpcException(GrpcStatusCode.Cancelled, "Call canceled by the client.", ex);
        }

        if (_cts.IsCancellationRequested)
        {
            return new GrpcException(GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded", ex);
        }

        HttpProtocolException? protocol = ex as HttpProtocolException ?? ex.InnerException as HttpProtocolException;
        if (protocol is not null)
        {
            // HTTP/2 RST_STREAM codes: CANCEL (0x8) is the peer cancelling, REFUSED_STREAM (0x7) is safe to retry.
            GrpcStatusCode code = protocol.ErrorCode switch
            {
                0x8 => GrpcStatusCode.Cancelled,
                0x7 => GrpcStatusCode.Unavailable,
                _ => GrpcStatusCode.Internal,
            };
            return new GrpcException(code, $"HTTP/2 error from {_target.GetLeftPart(UriPartial.Authority)}: {protocol.Message} (code 0x{protocol.ErrorCode.ToString("x", CultureInfo.InvariantCulture)})", ex);
        }

        return ex switch
        {
            HttpRequestException or IOException => new GrpcException(GrpcStatusCode.Unavailable, $"Error connecting to {_target.GetLeftPart(UriPartial.Authority)}: {Describe(ex)}", ex),
            OperationCanceledException => new GrpcException(GrpcStatusCode.Cancelled, "Call canceled.", ex),
            _ => new GrpcException(GrpcStatusCode.Internal, $"Error in P2P call: {Describe(ex)}", ex),
        };
    }

    public void Dispose()
    {
        // Disposing an unfinished response resets the HTTP/2 stream, which the server sees as RequestAborted.
        _response?.Dispose();
        _cts.Dispose();
    }

    private static string Describe(Exception ex) =>
        ex.InnerException is { } inner && !string.Equals(inner.Message, ex.Message, StringComparison.Ordinal)
            ? $"{ex.Message} ({inner.Message})"
            : ex.Message;

    private static bool TryGetStatus(System.Net.Http.Headers.HttpHeaders headers, out GrpcStatusCode code, out string detail)
    {
        code = GrpcStatusCode.Unknown;
        detail = string.Empty;
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var values))
        {
            return false;
        }

        string? raw = values.FirstOrDefault();
        code = int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? (GrpcStatusCode)value
            : GrpcStatusCode.Unknown;
        if (headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages))
        {
            detail = GrpcProtocol.DecodeMessage(messages.FirstOrDefault());
        }

        if (code == GrpcStatusCode.Unknown && raw is not null && value.ToString(CultureInfo.InvariantCulture) != raw)
        {
            detail = $"Unparsable grpc-status '{raw}'. {detail}";
        }

        return true;
    }
}
