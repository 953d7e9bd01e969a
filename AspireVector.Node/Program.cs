using AspireVector.Node.Api.Rest;
using AspireVector.Node.Configuration;
using AspireVector.ServiceDefaults;

namespace AspireVector.Node;

/// <summary>Entry point of one AspireVector database node.</summary>
public sealed class Program
{
    public static int Main(string[] args)
    {
        var options = NodeConfigLoader.Load(args);
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.AddServiceDefaults();
        builder.AddCollectionStorage(options);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapQdrantRestApi();
        app.Run();
        return 0;
    }
}
