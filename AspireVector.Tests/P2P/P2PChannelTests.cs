using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AspireVector.Node.P2P.Grpc;
using Google.Protobuf.WellKnownTypes;

namespace AspireVector.Tests.P2P;

/// <summary>Our client against our server over real loopback HTTP/2: unary, streaming, statuses, deadlines, cancellation.</summary>
public sealed class P2PChannelTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private TestGrpcService _service = null!;
    private P2PChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _service = await TestGrpcService.StartAsync();
        _channel = new P2PChannel(_service.Address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task Unary_call_round_trips_the_message()
    {
        StringValue reply = await _channel.CallAsync(TestGrpcService.Echo, new StringValue { Value = "hello" }, StringValue.Parser);
        Assert.Equal("hello", reply.Value);
    }

    [Fact]
    public async Task Concurrent_unary_calls_multiplex_on_one_channel()
    {
        Task<StringValue>[] calls = Enumerable.Range(0, 200)
            .Select(i => _channel.CallAsync(TestGrpcService.Echo, new StringValue { Value = "m" + i }, StringValue.Parser))
            .ToArray();
        StringValue[] replies = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => "m" + i), replies.Select(r => r.Value));
    }

    [Fact]
    public async Task Server_streaming_yields_every_message_in_order()
    {
        var received = new List<int>();
        await foreach (Int32Value value in _channel.StreamAsync(TestGrpcService.Count, new Int32Value { Value = 1000 }, Int32Value.Parser))
        {
            received.Add(value.Value);
        }

        Assert.Equal(Enumerable.Range(1, 1000), received);
    }

    [Fact]
    public async Task Server_streaming_of_zero_messages_ends_ok()
    {
        int count = 0;
        await foreach (Int32Value _ in _channel.StreamAsync(TestGrpcService.Count, new Int32Value { Value = 0 }, Int32Value.Parser))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task Handler_status_reaches_the_client_with_its_decoded_message()
    {
        var ex = await Assert.ThrowsAsync<GrpcException>(() => _channel.CallAsync(TestGrpcService.Fail, new StringValue(), StringValue.Parser));
        Assert.Equal(GrpcStatusCode.NotFound, ex.StatusCode);
        Assert.Equal(TestGrpcService.FailDetail, ex.Detail);
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented()
    {
        var ex = await Assert.ThrowsAsync<GrpcException>(() => _channel.CallAsync("/interop.Interop/Nope", new StringValue(), StringValue.Parser));
        Assert.Equal(GrpcStatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Deadline_expires_on_both_sides()
    {
        // The connection is up first, and the deadline leaves the call time to reach the server even on a loaded machine
        // (with 300 ms it could expire before the handler started, and then there is nothing to cancel server side).
        await _channel.CallAsync(TestGrpcService.Echo, new StringValue { Value = "warm" }, StringValue.Parser);
        var options = new P2PCallOptions { Timeout = TimeSpan.FromSeconds(3) };
        var ex = await Assert.ThrowsAsync<GrpcException>(() => _channel.CallAsync(TestGrpcService.Hang, new Int32Value(), Empty.Parser, options));
        Assert.Equal(GrpcStatusCode.DeadlineExceeded, ex.StatusCode);

        await _service.HangStarted.Task.WaitAsync(Patience);
        TestGrpcService.HangOutcome serverSide = await _service.HangCancelled.Task.WaitAsync(Patience);
        Assert.True(serverSide.TokenCancelled);
        Assert.NotNull(serverSide.Deadline);
    }

    [Fact]
    public async Task Client_cancellation_cancels_the_server_handler()
    {
        using var cts = new CancellationTokenSource();
        Task<Empty> call = _channel.CallAsync(TestGrpcService.Hang, new Int32Value(), Empty.Parser, new P2PCallOptions { NoDeadline = true }, cts.Token);
        await _service.HangStarted.Task.WaitAsync(Patience);
        cts.Cancel();

        var ex = await Assert.ThrowsAsync<GrpcException>(() => call);
        Assert.Equal(GrpcStatusCode.Cancelled, ex.StatusCode);
        TestGrpcService.HangOutcome serverSide = await _service.HangCancelled.Task.WaitAsync(Patience);
        Assert.True(serverSide.ClientAborted);
    }

    [Fact]
    public async Task Abandoning_a_stream_cancels_the_server_handler()
    {
        await foreach (Int32Value first in _channel.StreamAsync(TestGrpcService.HangStream, new Int32Value { Value = 7 }, Int32Value.Parser, new P2PCallOptions { NoDeadline = true }))
        {
            Assert.Equal(7, first.Value);
            break;
        }

        TestGrpcService.HangOutcome serverSide = await _service.HangCancelled.Task.WaitAsync(Patience);
        Assert.True(serverSide.TokenCancelled);
    }

    [Fact]
    public async Task Large_messages_cross_in_many_frames()
    {
        BytesValue blob = await _channel.CallAsync(TestGrpcService.Blob, new Int32Value { Value = 8 * 1024 * 1024 }, BytesValue.Parser);
        Assert.True(blob.Value.Span.SequenceEqual(TestGrpcService.BlobBytes(8 * 1024 * 1024)));
    }

    [Fact]
    public async Task Oversized_messages_are_resource_exhausted_on_either_side()
    {
        using var small = new P2PChannel(_service.Address, new P2PChannelOptions { MaxReceiveMessageSize = 1024, MaxSendMessageSize = 1024 });
        var receive = await Assert.ThrowsAsync<GrpcException>(() => small.CallAsync(TestGrpcService.Blob, new Int32Value { Value = 4096 }, BytesValue.Parser));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, receive.StatusCode);

        var send = await Assert.ThrowsAsync<GrpcException>(() => small.CallAsync(TestGrpcService.Echo, new StringValue { Value = new string('x', 4096) }, StringValue.Parser));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, send.StatusCode);

        await using TestGrpcService strict = await TestGrpcService.StartAsync(maxMessageSize: 1024);
        using var client = new P2PChannel(strict.Address);
        var server = await Assert.ThrowsAsync<GrpcException>(() => client.CallAsync(TestGrpcService.Echo, new StringValue { Value = new string('x', 4096) }, StringValue.Parser));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, server.StatusCode);
    }

    [Fact]
    public async Task Unexpected_handler_failure_is_unknown_without_type_message_or_path()
    {
        await using TestGrpcService service = await TestGrpcService.StartAsync();
        using var client = new P2PChannel(service.Address);
        var ex = await Assert.ThrowsAsync<GrpcException>(() => client.CallAsync(TestGrpcService.Crash, new StringValue { Value = "x" }, StringValue.Parser));
        Assert.Equal(GrpcStatusCode.Unknown, ex.StatusCode);
        Assert.DoesNotContain(TestGrpcService.CrashPath, ex.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("IOException", ex.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_key_is_required_when_configured()
    {
        await using TestGrpcService secured = await TestGrpcService.StartAsync(apiKey: "s3cret");
        using var anonymous = new P2PChannel(secured.Address);
        var ex = await Assert.ThrowsAsync<GrpcException>(() => anonymous.CallAsync(TestGrpcService.Echo, new StringValue { Value = "x" }, StringValue.Parser));
        Assert.Equal(GrpcStatusCode.Unauthenticated, ex.StatusCode);

        using var wrong = new P2PChannel(secured.Address, new P2PChannelOptions { ApiKey = "guess" });
        ex = await Assert.ThrowsAsync<GrpcException>(() => wrong.CallAsync(TestGrpcService.Echo, new StringValue { Value = "x" }, StringValue.Parser));
        Assert.Equal(GrpcStatusCode.Unauthenticated, ex.StatusCode);

        using var member = new P2PChannel(secured.Address, new P2PChannelOptions { ApiKey = "s3cret" });
        StringValue reply = await member.CallAsync(TestGrpcService.Echo, new StringValue { Value = "x" }, StringValue.Parser);
        Assert.Equal("x", reply.Value);
    }

    [Fact]
    public async Task Unreachable_peer_is_unavailable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        using var channel = new P2PChannel(new Uri($"http://127.0.0.1:{port}"));
        var ex = await Assert.ThrowsAsync<GrpcException>(() => channel.CallAsync(TestGrpcService.Echo, new StringValue(), StringValue.Parser));
        Assert.Equal(GrpcStatusCode.Unavailable, ex.StatusCode);
        Assert.Contains("127.0.0.1", ex.Detail);
    }

    [Fact]
    public async Task Traceparent_of_the_current_activity_reaches_the_server()
    {
        var serverActivity = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GrpcRequestDispatcher.ActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.DisplayName.EndsWith("/Echo", StringComparison.Ordinal))
                {
                    serverActivity.TrySetResult(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        await _channel.CallAsync(TestGrpcService.Echo, new StringValue { Value = "t" }, StringValue.Parser);
        caller.Stop();

        Assert.Equal(caller.Id, _service.LastEchoTraceParent);
        Activity server = await serverActivity.Task.WaitAsync(Patience);
        Assert.Equal(caller.TraceId, server.TraceId);
        Assert.Equal(caller.SpanId, server.ParentSpanId);
    }
}
