using AspireVector.ServiceDefaults;

namespace AspireVector.Node;

/// <summary>Entry point of one AspireVector database node.</summary>
public sealed class Program
{
    public static int Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.AddServiceDefaults();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.Run();
        return 0;
    }
}
