using System.Globalization;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>
/// Server-side state of one call: reads the request message, writes response messages, ends with a status.
/// </summary>
/// <remarks>
/// Writes and completion are serialized by a gate, so a deadline that fires while a streaming handler writes
/// can still end the call cleanly: once completed, later writes fail instead of corrupting the response.
/// </remarks>
internal sealed class GrpcServerCall
{
    private readonly HttpContext _http;
    private readonly GrpcServerOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _headersSet;
    private bool _completed;

    public GrpcServerCall(HttpContext http, GrpcServerOptions options, CancellationToken cancellationToken)
    {
        _http = http;
        _options = options;
        CancellationToken = cancellationToken;
    }

    public CancellationToken CancellationToken { get; }

    /// <summary>Reads exactly one request message (unary and server-streaming calls send one).</summary>
    public async Task<T> ReadSingleRequestAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        Stream body = _http.Request.Body;
        string? encoding = _http.Request.Headers[GrpcProtocol.EncodingHeader];
        T message = await GrpcFraming.ReadAsync(body, parser, _options.MaxReceiveMessageSize, encoding, CancellationToken).ConfigureAwait(false)
            ?? throw new GrpcException(GrpcStatusCode.Internal, "Incomplete message: the request stream ended before a message.");

        byte[] probe = new byte[1];
        if (await body.ReadAsync(probe, CancellationToken).ConfigureAwait(false) != 0)
        {
            throw new GrpcException(GrpcStatusCode.Internal, "Additional data after the message received.");
        }

        return message;
    }

    /// <summary>Sends one response message (response headers go out with the first).</summary>
    public async Task WriteMessageAsync(IMessage message)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                CancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException("The call is already complete.");
            }

            CancellationToken.ThrowIfCancellationRequested();
            SetResponseHeaders();
            await GrpcFraming.WriteAsync(_http.Response.BodyWriter, message, _options.MaxSendMessageSize, CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the call with <paramref name="code"/>: as trailers, or as a trailers-only response when nothing was sent yet.</summary>
    public async Task CompleteAsync(GrpcStatusCode code, string? detail)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            string status = ((int)code).ToString(CultureInfo.InvariantCulture);
            if (!_headersSet && !_http.Response.HasStarted)
            {
                // Trailers-only: one HEADERS frame with END_STREAM carrying the status.
                SetResponseHeaders();
                _http.Response.Headers[GrpcProtocol.StatusHeader] = status;
                if (!string.IsNullOrEmpty(detail))
                {
                    _http.Response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(detail);
                }

                return;
            }

            _http.Response.AppendTrailer(GrpcProtocol.StatusHeader, status);
            if (!string.IsNullOrEmpty(detail))
            {
                _http.Response.AppendTrailer(GrpcProtocol.MessageHeader, GrpcProtocol.EncodeMessage(detail));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Marks the call over without sending anything (the client is gone).</summary>
    public async Task AbandonAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        _completed = true;
        _gate.Release();
    }

    private void SetResponseHeaders()
    {
        if (_headersSet)
        {
            return;
        }

        _headersSet = true;
        _http.Response.StatusCode = StatusCodes.Status200OK;
        _http.Response.ContentType = GrpcProtocol.ContentType;
        _http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.AcceptedEncodings;
    }
}
