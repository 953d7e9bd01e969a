using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace AspireVector.Dashboard;

/// <summary>
/// Serves <c>_framework/blazor.web.js</c>. The .NET 10 SDK delivers it through a package the offline feed
/// lacks, so it is read from the embedded resources of the ASP.NET Core 9 Components.Endpoints assembly
/// that the build copies to <c>blazor-script/</c> (metadata only; the assembly is never loaded).
/// </summary>
public static class BlazorScriptEndpoint
{
    private const string ResourceSuffix = "blazor.web.js";
    private const string RelativePath = "blazor-script/Microsoft.AspNetCore.Components.Endpoints.dll";

    /// <summary>Maps <c>GET /_framework/blazor.web.js</c>.</summary>
    /// <exception cref="InvalidOperationException">The script source is missing from the build output.</exception>
    public static IEndpointRouteBuilder MapBlazorScript(this IEndpointRouteBuilder endpoints)
    {
        var script = Load(Path.Combine(AppContext.BaseDirectory, RelativePath));
        endpoints.MapGet("/_framework/blazor.web.js", () => Results.Bytes(script, "text/javascript"));
        return endpoints;
    }

    /// <summary>Reads the script out of the assembly's manifest resources.</summary>
    internal static byte[] Load(string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new InvalidOperationException($"'{assemblyPath}' is missing: build AspireVector.Dashboard so that it copies the Blazor script source.");
        }

        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        var resources = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress);
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || !metadata.GetString(resource.Name).EndsWith(ResourceSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            // An embedded resource is a 4-byte little-endian length followed by the bytes, at its offset in the resources directory.
            var reader = resources.GetReader((int)resource.Offset, resources.Length - (int)resource.Offset);
            var length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }

        throw new InvalidOperationException($"'{assemblyPath}' has no embedded {ResourceSuffix}.");
    }
}
