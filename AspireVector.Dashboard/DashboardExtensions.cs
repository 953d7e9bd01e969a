using AspireVector.Dashboard.Api;
using AspireVector.Dashboard.Components;
using AspireVector.Dashboard.Configuration;
using AspireVector.Dashboard.Monitoring;
using Microsoft.Extensions.Options;
using Radzen;

namespace AspireVector.Dashboard;

/// <summary>Composition of the dashboard: services (<see cref="AddDashboard"/>) and endpoints (<see cref="MapDashboard"/>).</summary>
public static class DashboardExtensions
{
    /// <summary>Registers Razor components with interactive server rendering, Radzen, and the node API client.</summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        // Serve Radzen's and our own assets from the build output in every environment (the AppHost runs the
        // dashboard unpublished); after `dotnet publish` there is no runtime manifest and this is a no-op.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddDashboardServices(builder.Configuration);
        return builder;
    }

    /// <summary>Registers options, the node endpoints, the REST client and the snapshot loader.</summary>
    public static IServiceCollection AddDashboardServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DashboardOptions>(configuration.GetSection(DashboardOptions.SectionName));
        services.AddHttpClient(QdrantClusterClient.HttpClientName);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IReadOnlyList<NodeEndpoint>>(_ => NodeEndpointResolver.Resolve(configuration));
        services.AddSingleton<IClusterApi>(sp => new QdrantClusterClient(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<DashboardOptions>>(),
            sp.GetRequiredService<IReadOnlyList<NodeEndpoint>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<ClusterSnapshotLoader>();
        return services;
    }

    /// <summary>Maps static assets and the interactive component tree.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapBlazorScript();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
