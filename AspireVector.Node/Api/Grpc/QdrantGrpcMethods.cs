using System.Diagnostics;
using AspireVector.Node.Api.Rest;
using AspireVector.Node.Api.Security;
using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.Telemetry;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AspireVector.Node.Api.Grpc;

/// <summary>
/// Maps Qdrant's public gRPC methods onto a <see cref="GrpcServiceRegistry"/> with what every call shares:
/// authentication and RBAC (as REST's <see cref="ApiKeyMiddleware"/>), Qdrant's status codes for errors, the
/// response's <c>time</c> field, and the <c>grpc_responses_*</c> metrics.
/// </summary>
public sealed partial class QdrantGrpcMethods
{
    private readonly GrpcServiceRegistry _registry;
    private readonly ApiKeyAuthenticator _authenticator;
    private readonly NodeMetrics? _metrics;
    private readonly ILogger _logger;

    public QdrantGrpcMethods(GrpcServiceRegistry registry, ApiKeyAuthenticator authenticator, NodeMetrics? metrics, ILogger logger)
    {
        _registry = registry;
        _authenticator = authenticator;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// Maps <c>/{service}/{method}</c>. <paramref name="operation"/> classifies a request for authorization
    /// (null: open to everyone, like the health check).
    /// </summary>
    public QdrantGrpcMethods Unary<TRequest, TResponse>(string service, string method, Func<TRequest, RestOperation>? operation,
        Func<TRequest, CancellationToken, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        string path = $"/{service}/{method}";
        _registry.MapUnary<TRequest, TResponse>(path, async (request, context) =>
        {
            long started = Stopwatch.GetTimestamp();
            var code = GrpcStatusCode.OK;
            try
            {
                if (operation is not null && _authenticator.IsEnabled) Authorize(operation(request), context.RequestHeaders);
                var response = await handler(request, context.CancellationToken).ConfigureAwait(false);
                SetTime(response, Stopwatch.GetElapsedTime(started).TotalSeconds);
                return response;
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                code = GrpcStatusCode.Cancelled;
                throw;
            }
            catch (Exception e)
            {
                var status = ToStatus(e, path);
                code = status.StatusCode;
                throw status;
            }
            finally
            {
                _metrics?.RecordGrpcResponse(path, (int)code, Stopwatch.GetElapsedTime(started));
            }
        });
        return this;
    }

    private void Authorize(RestOperation operation, IHeaderDictionary headers)
    {
        var access = _authenticator.Authenticate(headers, out var error) ?? throw new GrpcException(GrpcStatusCode.Unauthenticated, error);
        if (!access.Allows(operation)) throw new GrpcException(GrpcStatusCode.PermissionDenied, ApiKeyAuthenticator.ForbiddenMessage(operation.Kind));
    }

    /// <summary>The status Qdrant answers for a failure: REST's message, the gRPC code of REST's HTTP status.</summary>
    private GrpcException ToStatus(Exception e, string path)
    {
        if (e is GrpcException grpc) return grpc;
        var (status, message) = QdrantErrorMiddleware.Map(e);
        var code = status switch
        {
            400 or 422 => GrpcStatusCode.InvalidArgument,
            401 => GrpcStatusCode.Unauthenticated,
            403 => GrpcStatusCode.PermissionDenied,
            404 => GrpcStatusCode.NotFound,
            // 409 is only "Collection `x` already exists!": Qdrant reports it as bad input (INVALID_ARGUMENT) over gRPC.
            409 => GrpcStatusCode.InvalidArgument,
            408 or 504 => GrpcStatusCode.DeadlineExceeded,
            413 or 429 => GrpcStatusCode.ResourceExhausted,
            503 => GrpcStatusCode.Unavailable,
            >= 400 and < 500 => GrpcStatusCode.FailedPrecondition,
            _ => GrpcStatusCode.Internal,
        };
        if (code == GrpcStatusCode.Internal) LogUnexpected(e, path);
        return new GrpcException(code, message, e);
    }

    private static void SetTime(IMessage response, double seconds)
    {
        // Every Qdrant response carries `time` (seconds) except a few nested ones; set it where it exists.
        if (response.Descriptor.FindFieldByName("time") is { FieldType: FieldType.Double } time) time.Accessor.SetValue(response, seconds);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error serving gRPC {Method}")]
    private partial void LogUnexpected(Exception e, string method);
}
