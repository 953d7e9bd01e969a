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

    /// <summary>Builds the dashboard host (also used by tests to start it on a chosen port).</summary>
    public static WebApplication BuildApp(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddDashboard();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapDashboard();
        return app;
    }
}
