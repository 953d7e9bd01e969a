using Google.Protobuf;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>A unary method: one request message, one response message.</summary>
internal sealed class UnaryMethodHandler<TRequest, TResponse> : GrpcMethodHandler
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    private static readonly MessageParser<TRequest> Parser = new(static () => new TRequest());
    private readonly Func<TRequest, GrpcCallContext, Task<TResponse>> _handler;

    public UnaryMethodHandler(Func<TRequest, GrpcCallContext, Task<TResponse>> handler) => _handler = handler;

    public override async Task InvokeAsync(GrpcServerCall call, GrpcCallContext context)
    {
        TRequest request = await call.ReadSingleRequestAsync(Parser).ConfigureAwait(false);
        TResponse response = await _handler(request, context).ConfigureAwait(false);
        await call.WriteMessageAsync(response).ConfigureAwait(false);
    }
}
