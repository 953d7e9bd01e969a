using Google.Protobuf;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>A server-streaming method: one request message, any number of response messages.</summary>
internal sealed class ServerStreamingMethodHandler<TRequest, TResponse> : GrpcMethodHandler
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    private static readonly MessageParser<TRequest> Parser = new(static () => new TRequest());
    private readonly Func<TRequest, GrpcServerStreamWriter<TResponse>, GrpcCallContext, Task> _handler;

    public ServerStreamingMethodHandler(Func<TRequest, GrpcServerStreamWriter<TResponse>, GrpcCallContext, Task> handler) => _handler = handler;

    public override async Task InvokeAsync(GrpcServerCall call, GrpcCallContext context)
    {
        TRequest request = await call.ReadSingleRequestAsync(Parser).ConfigureAwait(false);
        await _handler(request, new GrpcServerStreamWriter<TResponse>(call), context).ConfigureAwait(false);
    }
}
