using System.Collections.Concurrent;
using Google.Protobuf;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>
/// Routes gRPC method paths (<c>/package.Service/Method</c>) to typed handlers; served by <see cref="GrpcRequestDispatcher"/>.
/// </summary>
/// <remarks>Thread-safe: methods may be mapped while the server already runs (a late method answers UNIMPLEMENTED until mapped).</remarks>
public sealed class GrpcServiceRegistry
{
    private readonly ConcurrentDictionary<string, GrpcMethodHandler> _methods = new(StringComparer.Ordinal);

    /// <summary>Every mapped method path.</summary>
    public IReadOnlyCollection<string> Methods => _methods.Keys.ToArray();

    /// <summary>Maps a unary method.</summary>
    /// <param name="method">Full path, e.g. <c>/aspirevector.p2p.Health/Ping</c>.</param>
    /// <param name="handler">Answers one request; throw <see cref="GrpcException"/> for a non-OK status.</param>
    public GrpcServiceRegistry MapUnary<TRequest, TResponse>(string method, Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        Add(method, new UnaryMethodHandler<TRequest, TResponse>(handler));
        return this;
    }

    /// <summary>Maps a server-streaming method.</summary>
    /// <param name="method">Full path, e.g. <c>/aspirevector.p2p.ShardTransfer/StreamRecords</c>.</param>
    /// <param name="handler">Writes the responses; the call ends with OK when the returned task completes.</param>
    public GrpcServiceRegistry MapServerStreaming<TRequest, TResponse>(string method, Func<TRequest, GrpcServerStreamWriter<TResponse>, GrpcCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        Add(method, new ServerStreamingMethodHandler<TRequest, TResponse>(handler));
        return this;
    }

    internal bool TryGetMethod(string path, out GrpcMethodHandler handler) => _methods.TryGetValue(path, out handler!);

    private void Add(string method, GrpcMethodHandler handler)
    {
        if (method.Length < 4 || method[0] != '/' || method.IndexOf('/', 1) < 2)
        {
            throw new ArgumentException($"Method path must look like /package.Service/Method, got '{method}'.", nameof(method));
        }

        if (!_methods.TryAdd(method, handler))
        {
            throw new InvalidOperationException($"Method {method} is already mapped.");
        }
    }
}
