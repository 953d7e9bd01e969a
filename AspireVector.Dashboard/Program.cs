using AspireVector.ServiceDefaults;

namespace AspireVector.Dashboard;

/// <summary>Entry point of the admin dashboard.</summary>
public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.Run();
    }
}
