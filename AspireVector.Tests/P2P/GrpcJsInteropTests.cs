using System.Security.Cryptography;
using System.Text.Json;
using AspireVector.Node.P2P.Grpc;
using Google.Protobuf.WellKnownTypes;

namespace AspireVector.Tests.P2P;

/// <summary>
/// Interoperability with a standard gRPC implementation: @grpc/grpc-js (npm) calling our server, and our client
/// calling a grpc-js server. Both sides use <c>js/interop.proto</c>.
/// </summary>
[Trait("Category", "Process")]
public sealed class GrpcJsInteropTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string FailDetail = TestGrpcService.FailDetail;

    [Fact]
    public async Task Grpc_js_client_calls_our_server()
    {
        await using TestGrpcService service = await TestGrpcService.StartAsync();
        await using NodeScript client = await NodeScript.StartAsync("grpc-client.js", $"127.0.0.1:{service.Server.Port}");
        string line = await client.WaitForLineAsync(l => l.StartsWith('{'), Patience);
        using JsonDocument json = JsonDocument.Parse(line);
        JsonElement r = json.RootElement;

        Assert.Equal(0, r.GetProperty("echo").GetProperty("code").GetInt32());
        Assert.Equal("héllo from grpc-js", r.GetProperty("echo").GetProperty("value").GetString());
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", service.LastEchoTraceParent);

        Assert.Equal(0, r.GetProperty("count").GetProperty("code").GetInt32());
        Assert.Equal(Enumerable.Range(1, 100), r.GetProperty("count").GetProperty("values").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(0, r.GetProperty("emptyStream").GetProperty("code").GetInt32());
        Assert.Equal(0, r.GetProperty("emptyStream").GetProperty("values").GetArrayLength());

        Assert.Equal((int)GrpcStatusCode.NotFound, r.GetProperty("fail").GetProperty("code").GetInt32());
        Assert.Equal(FailDetail, r.GetProperty("fail").GetProperty("details").GetString());

        Assert.Equal((int)GrpcStatusCode.DeadlineExceeded, r.GetProperty("deadline").GetProperty("code").GetInt32());
        Assert.Equal(5, r.GetProperty("cancel").GetProperty("first").GetInt32());
        Assert.Equal((int)GrpcStatusCode.Unimplemented, r.GetProperty("unimplemented").GetProperty("code").GetInt32());

        JsonElement blob = r.GetProperty("blob");
        Assert.Equal(0, blob.GetProperty("code").GetInt32());
        Assert.Equal(5 * 1024 * 1024, blob.GetProperty("length").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestGrpcService.BlobBytes(5 * 1024 * 1024))), blob.GetProperty("sha256").GetString());

        // Both the deadline (Hang) and the cancelled stream (HangStream) reached our handlers as cancellation.
        TestGrpcService.HangOutcome outcome = await service.HangCancelled.Task.WaitAsync(Patience);
        Assert.True(outcome.TokenCancelled);
    }

    [Fact]
    public async Task Our_client_calls_a_grpc_js_server()
    {
        await using NodeScript server = await NodeScript.StartAsync("grpc-server.js");
        string portLine = await server.WaitForLineAsync(l => l.StartsWith("PORT ", StringComparison.Ordinal), Patience);
        using var channel = new P2PChannel(new Uri($"http://127.0.0.1:{portLine["PORT ".Length..]}"));

        using (var caller = new System.Diagnostics.Activity("caller").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start())
        {
            StringValue echo = await channel.CallAsync(TestGrpcService.Echo, new StringValue { Value = "héllo from .NET" }, StringValue.Parser);
            Assert.Equal("héllo from .NET", echo.Value);
            Assert.Equal("HEADER traceparent " + caller.Id, await server.WaitForLineAsync(l => l.StartsWith("HEADER", StringComparison.Ordinal), Patience));
        }

        var counted = new List<int>();
        await foreach (Int32Value value in channel.StreamAsync(TestGrpcService.Count, new Int32Value { Value = 100 }, Int32Value.Parser))
        {
            counted.Add(value.Value);
        }

        Assert.Equal(Enumerable.Range(1, 100), counted);

        var fail = await Assert.ThrowsAsync<GrpcException>(() => channel.CallAsync(TestGrpcService.Fail, new StringValue(), StringValue.Parser));
        Assert.Equal(GrpcStatusCode.NotFound, fail.StatusCode);
        Assert.Equal(FailDetail, fail.Detail);

        var deadline = await Assert.ThrowsAsync<GrpcException>(() =>
            channel.CallAsync(TestGrpcService.Hang, new Int32Value(), Empty.Parser, new P2PCallOptions { Timeout = TimeSpan.FromMilliseconds(300) }));
        Assert.Equal(GrpcStatusCode.DeadlineExceeded, deadline.StatusCode);
        Assert.Equal("CANCELLED Hang", await server.WaitForLineAsync(l => l.StartsWith("CANCELLED", StringComparison.Ordinal), Patience));

        await foreach (Int32Value first in channel.StreamAsync(TestGrpcService.HangStream, new Int32Value { Value = 9 }, Int32Value.Parser, new P2PCallOptions { NoDeadline = true }))
        {
            Assert.Equal(9, first.Value);
            break;
        }

        Assert.Equal("CANCELLED HangStream", await server.WaitForLineAsync(l => l.StartsWith("CANCELLED", StringComparison.Ordinal), Patience));

        BytesValue blob = await channel.CallAsync(TestGrpcService.Blob, new Int32Value { Value = 5 * 1024 * 1024 }, BytesValue.Parser);
        Assert.True(blob.Value.Span.SequenceEqual(TestGrpcService.BlobBytes(5 * 1024 * 1024)));

        var missing = await Assert.ThrowsAsync<GrpcException>(() => channel.CallAsync("/interop.Interop/Nope", new StringValue(), StringValue.Parser));
        Assert.Equal(GrpcStatusCode.Unimplemented, missing.StatusCode);
    }
}
