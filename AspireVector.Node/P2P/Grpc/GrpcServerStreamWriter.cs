using Google.Protobuf;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>Writes the messages of a server-streaming response.</summary>
/// <remarks>Not thread-safe for concurrent writers (as in every gRPC stack): await each write before the next.</remarks>
public sealed class GrpcServerStreamWriter<T>
    where T : IMessage<T>
{
    private readonly GrpcServerCall _call;

    internal GrpcServerStreamWriter(GrpcServerCall call) => _call = call;

    /// <summary>Sends one message; fails once the call is over (deadline, cancellation).</summary>
    public Task WriteAsync(T message) => _call.WriteMessageAsync(message);
}
