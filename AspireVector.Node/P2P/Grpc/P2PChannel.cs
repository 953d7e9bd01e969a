using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>
/// A gRPC client connection to one peer over HTTP/2 (h2c with prior knowledge for <c>http://</c>, ALPN h2 for
/// <c>https://</c>): unary and server-streaming calls with deadlines, cancellation and status mapping.
/// </summary>
/// <remarks>Thread-safe: any number of concurrent calls multiplex over the channel's connection(s).</remarks>
public sealed class P2PChannel : IDisposable
{
    private static readonly string UserAgent = $"grpc-dotnet-aspirevector/{typeof(P2PChannel).Assembly.GetName().Version}";
    private readonly HttpMessageInvoker _invoker;
    private readonly P2PChannelOptions _options;

    /// <summary>Creates a channel to <paramref name="address"/> (e.g. <c>http://10.0.0.2:6335</c>).</summary>
    public P2PChannel(Uri address, P2PChannelOptions? options = null)
    {
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"P2P address must be http:// or https://, got '{address}'.", nameof(address));
        }

        Address = address;
        _options = options ?? new P2PChannelOptions();
        _invoker = new HttpMessageInvoker(CreateHandler(_options), disposeHandler: true);
    }

    /// <summary>The peer's base address.</summary>
    public Uri Address { get; }

    /// <summary>Calls a unary method.</summary>
    /// <param name="method">Full path, e.g. <c>/aspirevector.p2p.Health/Ping</c>.</param>
    /// <param name="request">The request message.</param>
    /// <param name="responseParser">Parser of the response type (the generated <c>T.Parser</c>).</param>
    /// <param name="options">Deadline and metadata; null uses the channel's defaults.</param>
    /// <param name="cancellationToken">Cancels the call (the server sees it as CANCELLED).</param>
    /// <exception cref="GrpcException">Any non-OK outcome: server status, UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED.</exception>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(
        string method, TRequest request, MessageParser<TResponse> responseParser, P2PCallOptions? options = null, CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        using P2PClientCall call = await StartAsync(method, request, options, cancellationToken).ConfigureAwait(false);
        return await call.ReadUnaryAsync(responseParser).ConfigureAwait(false);
    }

    /// <summary>Calls a server-streaming method; enumerating reads the responses as they arrive.</summary>
    /// <remarks>Stopping the enumeration early cancels the call on the server.</remarks>
    /// <exception cref="GrpcException">Thrown from the enumeration on any non-OK outcome.</exception>
    public async IAsyncEnumerable<TResponse> StreamAsync<TRequest, TResponse>(
        string method, TRequest request, MessageParser<TResponse> responseParser, P2PCallOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        using P2PClientCall call = await StartAsync(method, request, options, cancellationToken).ConfigureAwait(false);
        while (await call.ReadNextAsync(responseParser).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _invoker.Dispose();

    private async Task<P2PClientCall> StartAsync<TRequest>(string method, TRequest request, P2PCallOptions? options, CancellationToken cancellationToken)
        where TRequest : IMessage<TRequest>
    {
        options ??= P2PCallOptions.Default;
        TimeSpan? timeout = options.NoDeadline ? null : options.Timeout ?? _options.DefaultTimeout;
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
        {
            cts.CancelAfter(t);
        }

        var target = new Uri(Address, method);
        var call = new P2PClientCall(cts, cancellationToken, _options, target);
        try
        {
            using HttpRequestMessage message = CreateRequest(target, request, timeout, options);
            HttpResponseMessage response = await _invoker.SendAsync(message, cts.Token).ConfigureAwait(false);
            await call.AcceptAsync(response).ConfigureAwait(false);
            return call;
        }
        catch (Exception ex)
        {
            GrpcException mapped = call.Map(ex);
            call.Dispose();
            throw mapped;
        }
    }

    private HttpRequestMessage CreateRequest(Uri target, IMessage request, TimeSpan? timeout, P2PCallOptions options)
    {
        var content = new ByteArrayContent(GrpcFraming.Frame(request, _options.MaxSendMessageSize));
        content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        var message = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };

        HttpRequestHeaders headers = message.Headers;
        headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        headers.TryAddWithoutValidation("user-agent", UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.AcceptedEncodings);
        if (timeout is { } t)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcProtocol.FormatTimeout(t));
        }

        if (_options.ApiKey is { Length: > 0 } key)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.ApiKeyHeader, key);
        }

        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TraceParentHeader, activity.Id);
            if (activity.TraceStateString is { Length: > 0 } state)
            {
                headers.TryAddWithoutValidation(GrpcProtocol.TraceStateHeader, state);
            }
        }

        if (options.Headers is { } extra)
        {
            foreach (KeyValuePair<string, string> header in extra)
            {
                headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return message;
    }

    private static SocketsHttpHandler CreateHandler(P2PChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Peers are addressed directly; an HTTP(S)_PROXY in the environment must not capture cluster traffic.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.ConnectTimeout,
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            // We write traceparent ourselves; the built-in propagator would add a second one.
            ActivityHeadersPropagator = null,
        };

        var ssl = new SslClientAuthenticationOptions
        {
            ApplicationProtocols = [SslApplicationProtocol.Http2],
        };
        if (options.CaCertificate is { } ca)
        {
            ssl.RemoteCertificateValidationCallback = CaCertificateValidator.Create(ca);
        }

        if (options.ClientCertificate is { } clientCertificate)
        {
            ssl.ClientCertificates = new X509CertificateCollection { clientCertificate };
        }

        handler.SslOptions = ssl;
        return handler;
    }
}
