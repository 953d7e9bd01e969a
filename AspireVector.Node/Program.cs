using AspireVector.Node.Api.Grpc;
using AspireVector.Node.Api.Rest;
using AspireVector.Node.Api.Security;
using AspireVector.Node.Cluster;
using AspireVector.Node.Configuration;
using AspireVector.Node.Telemetry;
using AspireVector.ServiceDefaults;

namespace AspireVector.Node;

/// <summary>Entry point of one AspireVector database node.</summary>
public sealed class Program
{
    public static int Main(string[] args)
    {
        NodeOptions options;
        try
        {
            options = NodeConfigLoader.Load(args);
        }
        catch (NodeConfigException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        var app = BuildApp(args, options);
        if (options.StartupSnapshots.Count == 0 && options.StartupStorageSnapshot is null)
        {
            app.Run();
            return 0;
        }

        try
        {
            var services = app.Services;
            Snapshots.StartupSnapshots.RestoreAsync(options, services.GetRequiredService<Collections.TableOfContents>(), services.GetRequiredService<Snapshots.CollectionSnapshots>(),
                services.GetRequiredService<ILoggerFactory>().CreateLogger<Program>(), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Collections.CollectionException e)
        {
            Console.Error.WriteLine($"Snapshot recovery failed: {e.Message}");
            return 2;
        }

        app.Run();
        return 0;
    }

    /// <summary>
    /// Composes a node for <paramref name="options"/>; <paramref name="configureHost"/> runs before the build
    /// (tests use it to host several nodes in one process, e.g. on a test server).
    /// </summary>
    public static WebApplication BuildApp(string[] args, NodeOptions options, Action<WebApplicationBuilder>? configureHost = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.AddServiceDefaults();
        builder.AddNodeOptions(options);
        builder.AddNodeTelemetry();
        builder.AddClusterMode();
        builder.AddCollectionStorage();
        builder.AddQdrantGrpcApi();
        configureHost?.Invoke(builder);

        var app = builder.Build();
        app.UseApiKeyAuthentication();
        app.MapDefaultEndpoints();
        app.MapQdrantRestApi();
        return app;
    }
}
