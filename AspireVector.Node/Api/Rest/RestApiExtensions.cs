using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Snapshots;
using AspireVector.Node.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AspireVector.Node.Api.Rest;

/// <summary>Composition of the storage engine and Qdrant's REST API into a node.</summary>
public static class RestApiExtensions
{
    /// <summary>
    /// Registers the <see cref="TableOfContents"/> (which needs the <see cref="NodeOptions"/> singleton added by
    /// <c>AddNodeOptions</c>) and exposes it as the collections telemetry source, unless cluster mode registered
    /// its own (placement-aware) source first.
    /// </summary>
    public static WebApplicationBuilder AddCollectionStorage(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(sp =>
        {
            var toc = new TableOfContents(sp.GetRequiredService<NodeOptions>(), sp.GetRequiredService<ILoggerFactory>());
            sp.GetService<Telemetry.NodeMetrics>()?.Observe(toc.Telemetry);
            return toc;
        });
        builder.Services.TryAddSingleton<ICollectionsTelemetrySource>(sp => sp.GetRequiredService<TableOfContents>());
        builder.Services.AddSnapshots();
        return builder;
    }

    /// <summary>Opens the storage (recovery runs before the first request) and maps the REST endpoints.</summary>
    public static WebApplication MapQdrantRestApi(this WebApplication app)
    {
        app.Services.GetRequiredService<TableOfContents>();
        app.UseMiddleware<QdrantErrorMiddleware>();
        app.MapServiceApi();
        app.MapClusterApi();
        app.MapClusterTelemetryApi();
        app.MapCollectionsApi();
        app.MapShardKeysApi();
        app.MapVectorNamesApi();
        app.MapAliasesApi();
        app.MapOptimizationsApi();
        app.MapPointsApi();
        app.MapSearchApi();
        app.MapSnapshotsApi();
        app.MapRecommendApi();
        app.MapDiscoverApi();
        app.MapGroupsApi();
        app.MapFacetApi();
        app.MapMatrixApi();
        return app;
    }
}
