using System.Net;
using AspireVector.Node.P2P;
using AspireVector.Node.P2P.Grpc;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireVector.Tests.P2P;

/// <summary>
/// A test service on a real <see cref="P2PServer"/> (loopback, port 0), with the same methods as
/// <c>js/interop.proto</c>: Echo, Count (server streaming), Fail, Hang, HangStream, Blob.
/// </summary>
internal sealed class TestGrpcService : IAsyncDisposable
{
    public const string Echo = "/interop.Interop/Echo";
    public const string Count = "/interop.Interop/Count";
    public const string Fail = "/interop.Interop/Fail";
    public const string Hang = "/interop.Interop/Hang";
    public const string HangStream = "/interop.Interop/HangStream";
    public const string Blob = "/interop.Interop/Blob";

    /// <summary>A method (not in the interop proto) whose handler throws an unexpected exception naming a file.</summary>
    public const string Crash = "/interop.Interop/Crash";

    /// <summary>The file path in the message of <see cref="Crash"/>'s exception; it must not reach the caller.</summary>
    public const string CrashPath = "/var/lib/secret-storage/collections/c/0/wal";

    /// <summary>Detail of the Fail method's NOT_FOUND: non-ASCII and '%' exercise percent-encoding.</summary>
    public const string FailDetail = "no such thing: ünïcode 100% \u2603";

    private TestGrpcService(P2PServer server) => Server = server;

    public P2PServer Server { get; }

    public Uri Address => Server.LoopbackAddress;

    /// <summary>What a Hang/HangStream handler saw when its wait ended (the HttpContext is recycled right after).</summary>
    public sealed record HangOutcome(bool TokenCancelled, bool ClientAborted, DateTimeOffset? Deadline);

    /// <summary>Completes once a Hang/HangStream handler observed cancellation.</summary>
    public TaskCompletionSource<HangOutcome> HangCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a Hang/HangStream handler starts waiting.</summary>
    public TaskCompletionSource HangStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary><c>traceparent</c> of the latest Echo call (copied: the request's headers are recycled after the call).</summary>
    public string? LastEchoTraceParent { get; private set; }

    public static async Task<TestGrpcService> StartAsync(string? apiKey = null, int maxMessageSize = GrpcProtocol.DefaultMaxMessageSize,
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        var registry = new GrpcServiceRegistry();
        TestGrpcService? self = null;
        registry.MapUnary<StringValue, StringValue>(Echo, (request, context) =>
        {
            self!.LastEchoTraceParent = context.RequestHeaders["traceparent"].ToString();
            return Task.FromResult(new StringValue { Value = request.Value });
        });
        registry.MapServerStreaming<Int32Value, Int32Value>(Count, async (request, writer, _) =>
        {
            for (int i = 1; i <= request.Value; i++)
            {
                await writer.WriteAsync(new Int32Value { Value = i });
            }
        });
        registry.MapUnary<StringValue, StringValue>(Fail, (_, _) => throw new GrpcException(GrpcStatusCode.NotFound, FailDetail));
        registry.MapUnary<StringValue, StringValue>(Crash, (_, _) => throw new IOException($"Input/output error : '{CrashPath}'"));
        registry.MapUnary<Int32Value, Empty>(Hang, async (_, context) =>
        {
            await WaitForCancellationAsync(self!, context);
            return new Empty();
        });
        registry.MapServerStreaming<Int32Value, Int32Value>(HangStream, async (request, writer, context) =>
        {
            await writer.WriteAsync(new Int32Value { Value = request.Value });
            await WaitForCancellationAsync(self!, context);
        });
        registry.MapUnary<Int32Value, BytesValue>(Blob, (request, _) =>
        {
            return Task.FromResult(new BytesValue { Value = ByteString.CopyFrom(BlobBytes(request.Value)) });
        });
        registry.MapHealthService();

        var options = new P2PServerOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            Certificate = certificate,
            Grpc = new GrpcServerOptions { ApiKey = apiKey, MaxReceiveMessageSize = maxMessageSize, MaxSendMessageSize = maxMessageSize },
        };
        var server = P2PServer.Create(options, registry, NullLoggerFactory.Instance);
        self = new TestGrpcService(server);
        await server.StartAsync();
        return self;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>The Blob method's deterministic payload (the same as <c>js/interop-common.js</c>).</summary>
    public static byte[] BlobBytes(int size)
    {
        var bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)(i % 251);
        }

        return bytes;
    }

    private static async Task WaitForCancellationAsync(TestGrpcService self, GrpcCallContext context)
    {
        try
        {
            self.HangStarted.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        finally
        {
            self.HangCancelled.TrySetResult(new HangOutcome(context.CancellationToken.IsCancellationRequested, context.HttpContext.RequestAborted.IsCancellationRequested, context.Deadline));
        }
    }
}
