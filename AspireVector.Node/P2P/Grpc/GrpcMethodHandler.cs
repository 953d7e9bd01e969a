namespace AspireVector.Node.P2P.Grpc;

/// <summary>One routed method: decodes the request, runs the typed handler, encodes the response(s).</summary>
internal abstract class GrpcMethodHandler
{
    /// <summary>Serves the call; throws <see cref="GrpcException"/> to answer with a non-OK status.</summary>
    public abstract Task InvokeAsync(GrpcServerCall call, GrpcCallContext context);
}
