using System.Net;
using System.Text;
using System.Text.Json;
using AspireVector.Node.Configuration;
using AspireVector.Tests.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// An in-process node (the real <c>Program</c>, test server) on its own temp storage folder, shared by the tests
/// of one class; each test uses its own collection names.
/// </summary>
public class RestNode : RestClient, IDisposable
{
    private readonly TempDirectory _storage;
    private readonly WebApplicationFactory<AspireVector.Node.Program> _factory;

    public RestNode() : this(_ => { }) { }

    protected RestNode(Action<NodeOptions> configure) : this(Host(configure)) { }

    private RestNode((TempDirectory Storage, NodeOptions Options, WebApplicationFactory<AspireVector.Node.Program> Factory) host)
        : base(host.Factory.CreateClient())
    {
        (_storage, Options, _factory) = host;
    }

    /// <summary>The node's settings (storage on a temp folder).</summary>
    public NodeOptions Options { get; }

    private static (TempDirectory, NodeOptions, WebApplicationFactory<AspireVector.Node.Program>) Host(Action<NodeOptions> configure)
    {
        var storage = new TempDirectory();
        var options = new NodeOptions();
        options.Storage.StoragePath = storage.Path;
        options.Service.GrpcPort = null; // the gRPC listener binds a real port even on a test server
        configure(options);
        var factory = new WebApplicationFactory<AspireVector.Node.Program>().WithWebHostBuilder(web =>
            web.ConfigureTestServices(services => services.AddSingleton(options)));
        return (storage, options, factory);
    }

    /// <summary>Settings of a node storing under <paramref name="storagePath"/>, without a gRPC listener (for restart tests).</summary>
    public static NodeOptions OptionsOn(string storagePath)
    {
        var options = new NodeOptions();
        options.Storage.StoragePath = storagePath;
        options.Service.GrpcPort = null;
        return options;
    }

    /// <summary>Starts an in-process node with <paramref name="options"/> (dispose it to stop; start again to restart).</summary>
    public static WebApplicationFactory<AspireVector.Node.Program> Start(NodeOptions options) =>
        new WebApplicationFactory<AspireVector.Node.Program>().WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton(options)));

    /// <summary>
    /// Sends a request with <paramref name="path"/> as the server sees it after decoding, bypassing the client's
    /// URI normalisation (which would fold <c>/collections/..</c> into <c>/</c> before it is sent).
    /// </summary>
    public async Task<RestAnswer> SendRawAsync(string method, string path, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var context = await _factory.Server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = path;
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = body.Length;
            c.Request.Body = new MemoryStream(body);
        });
        using var reader = new StreamReader(context.Response.Body);
        return new RestAnswer((HttpStatusCode)context.Response.StatusCode, await reader.ReadToEndAsync());
    }

    public void Dispose()
    {
        Client.Dispose();
        _factory.Dispose();
        _storage.Dispose();
        GC.SuppressFinalize(this);
    }
}
