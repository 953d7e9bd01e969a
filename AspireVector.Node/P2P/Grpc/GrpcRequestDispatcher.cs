using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>
/// The terminal middleware of a gRPC listener: validates the HTTP/2 request, authenticates it, applies the
/// deadline, runs the routed handler and always ends with a gRPC status.
/// </summary>
public sealed partial class GrpcRequestDispatcher
{
    /// <summary>Source of the server-side activities, parented on the caller's <c>traceparent</c>.</summary>
    public static readonly ActivitySource ActivitySource = new("AspireVector.P2P");

    private readonly GrpcServiceRegistry _registry;
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private readonly byte[]? _apiKey;

    /// <summary>Creates a dispatcher serving <paramref name="registry"/> under <paramref name="options"/>.</summary>
    public GrpcRequestDispatcher(GrpcServiceRegistry registry, GrpcServerOptions options, ILogger<GrpcRequestDispatcher> logger)
    {
        _registry = registry;
        _options = options;
        _logger = logger;
        _apiKey = string.IsNullOrEmpty(options.ApiKey) ? null : Encoding.UTF8.GetBytes(options.ApiKey);
    }

    /// <summary>Serves one HTTP request as a gRPC call.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        HttpRequest request = http.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            http.Response.Headers.Upgrade = "h2c";
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "POST";
            return;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        string path = request.Path.Value ?? string.Empty;
        var call = new GrpcServerCall(http, _options, http.RequestAborted);
        // Before the method lookup: a caller without the key learns nothing, not even which methods exist.
        if (_apiKey is not null && !KeyMatches(request.Headers[GrpcProtocol.ApiKeyHeader]))
        {
            LogUnauthenticated(path, http.Connection.RemoteIpAddress?.ToString());
            await call.CompleteAsync(GrpcStatusCode.Unauthenticated, "Missing or invalid P2P api key.").ConfigureAwait(false);
            return;
        }

        if (!_registry.TryGetMethod(path, out GrpcMethodHandler? handler))
        {
            await call.CompleteAsync(GrpcStatusCode.Unimplemented, $"Method {path} is unimplemented.").ConfigureAwait(false);
            return;
        }

        TimeSpan? timeout = GrpcProtocol.ParseTimeout(request.Headers[GrpcProtocol.TimeoutHeader]);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        if (timeout is { } t)
        {
            cts.CancelAfter(t);
        }

        using Activity? activity = StartActivity(path, request.Headers);
        call = new GrpcServerCall(http, _options, cts.Token);
        var context = new GrpcCallContext(http, path, timeout is { } d ? DateTimeOffset.UtcNow + d : null, cts.Token);
        (GrpcStatusCode code, string detail) = await RunAsync(handler, call, context, cts, http.RequestAborted, path).ConfigureAwait(false);
        activity?.SetTag("rpc.grpc.status_code", (int)code);

        if (http.RequestAborted.IsCancellationRequested)
        {
            // The client reset the stream or disconnected: nothing can reach it any more.
            await call.AbandonAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            await call.CompleteAsync(code, detail).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            LogCompleteFailed(path, ex.Message);
        }
    }

    private async Task<(GrpcStatusCode Code, string Detail)> RunAsync(
        GrpcMethodHandler handler, GrpcServerCall call, GrpcCallContext context, CancellationTokenSource cts, CancellationToken aborted, string path)
    {
        try
        {
            Task work = handler.InvokeAsync(call, context);
            if (!work.IsCompleted)
            {
                // A handler that ignores its token must not hold the call past its deadline: race them.
                var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cts.Token.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), cancelled))
                {
                    await Task.WhenAny(work, cancelled.Task).ConfigureAwait(false);
                }

                if (!work.IsCompleted)
                {
                    _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    throw new OperationCanceledException(cts.Token);
                }
            }

            await work.ConfigureAwait(false);
            return (GrpcStatusCode.OK, string.Empty);
        }
        catch (GrpcException ex)
        {
            return (ex.StatusCode, ex.Detail);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return aborted.IsCancellationRequested
                ? (GrpcStatusCode.Cancelled, "Call canceled by the client.")
                : (GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        catch (Exception ex) when (aborted.IsCancellationRequested && ex is IOException or ObjectDisposedException)
        {
            return (GrpcStatusCode.Cancelled, "Call canceled by the client.");
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex, path);
            // As Grpc.AspNetCore without detailed errors: the type and message (which may hold file paths) stay in this
            // peer's log, since a coordinator passes details on to REST clients.
            return (GrpcStatusCode.Unknown, "Exception was thrown by handler (see the serving peer's log).");
        }
    }

    private bool KeyMatches(string? presented)
    {
        if (presented is null)
        {
            return false;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(presented);
        return CryptographicOperations.FixedTimeEquals(bytes, _apiKey);
    }

    private static Activity? StartActivity(string path, IHeaderDictionary headers)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        string? traceParent = headers[GrpcProtocol.TraceParentHeader];
        string? traceState = headers[GrpcProtocol.TraceStateHeader];
        ActivityContext parent = default;
        if (traceParent is not null)
        {
            _ = ActivityContext.TryParse(traceParent, traceState, isRemote: true, out parent);
        }

        Activity? activity = ActivitySource.StartActivity(path.TrimStart('/'), ActivityKind.Server, parent);
        activity?.SetTag("rpc.system", "grpc");
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "P2P call {Method} from {Remote} rejected: missing or invalid api key")]
    private partial void LogUnauthenticated(string method, string? remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "P2P handler of {Method} failed")]
    private partial void LogHandlerFailed(Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Debug, Message = "P2P call {Method} could not send its status: {Reason}")]
    private partial void LogCompleteFailed(string method, string reason);
}
