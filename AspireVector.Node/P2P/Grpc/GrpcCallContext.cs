using Microsoft.AspNetCore.Http;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>What a server-side handler knows about the call it serves.</summary>
public sealed class GrpcCallContext
{
    internal GrpcCallContext(HttpContext httpContext, string method, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Method = method;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>Full method path, e.g. <c>/aspirevector.p2p.RaftService/Send</c>.</summary>
    public string Method { get; }

    /// <summary>When the caller stops waiting (from <c>grpc-timeout</c>); null when it set none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Cancelled when the caller cancels (RST_STREAM), disconnects, or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Request headers (custom metadata, <c>traceparent</c>, ...).</summary>
    public IHeaderDictionary RequestHeaders => HttpContext.Request.Headers;

    /// <summary>The caller's address as <c>ip:port</c>.</summary>
    public string Peer => $"{HttpContext.Connection.RemoteIpAddress}:{HttpContext.Connection.RemotePort}";

    /// <summary>The underlying HTTP/2 exchange.</summary>
    public HttpContext HttpContext { get; }
}
