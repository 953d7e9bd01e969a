using AspireVector.ServiceDefaults;

namespace AspireVector.Dashboard;

/// <summary>Entry point of the admin dashboard.</summary>
public sealed class Program
{
    public static void Main(string[] args)
    {
        var app = BuildApp(args);
        app.Run();
    }

    /// <summary>
    /// Builds the dashboard host (also used by tests to start it on a chosen port); <paramref name="configure"/> runs
    /// last on the builder (tests add a log capture there).
    /// </summary>
    public static WebApplication BuildApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddDashboard();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapDashboard();
        return app;
    }
}
