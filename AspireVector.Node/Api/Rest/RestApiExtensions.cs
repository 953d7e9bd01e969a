using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Api.Rest;

/// <summary>Composition of the storage engine and Qdrant's REST API into a node.</summary>
public static class RestApiExtensions
{
    /// <summary>
    /// Registers <paramref name="options"/>, the <see cref="TableOfContents"/> and binds Kestrel to
    /// <c>service.host:service.http_port</c> with <c>service.max_request_size_mb</c> as the body limit.
    /// </summary>
    public static WebApplicationBuilder AddCollectionStorage(this WebApplicationBuilder builder, NodeOptions options)
    {
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sp => new TableOfContents(sp.GetRequiredService<NodeOptions>(), sp.GetRequiredService<ILoggerFactory>()));
        builder.WebHost.UseUrls($"http://{options.Service.Host}:{options.Service.HttpPort}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = (long)options.Service.MaxRequestSizeMb << 20);
        return builder;
    }

    /// <summary>Opens the storage (recovery runs before the first request) and maps the REST endpoints.</summary>
    public static WebApplication MapQdrantRestApi(this WebApplication app)
    {
        app.Services.GetRequiredService<TableOfContents>();
        app.UseMiddleware<QdrantErrorMiddleware>();
        app.MapServiceApi();
        app.MapCollectionsApi();
        app.MapPointsApi();
        app.MapSearchApi();
        return app;
    }
}
