using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace AspireVector.AppHost.Hosting;

/// <summary>Declares the application's resources (Aspire's <c>IDistributedApplicationBuilder</c>).</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<ProjectResource> _resources = [];

    /// <summary>Creates a builder from <c>apphost.json</c> next to the executable and <paramref name="args"/>.</summary>
    public DistributedApplicationBuilder(string[] args)
    {
        Configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("apphost.json", optional: true)
            .AddCommandLine(AppHostSettings.NormalizeArgs(args))
            .Build();
        Settings = AppHostSettings.From(Configuration);
        ExecutionContext = new DistributedApplicationExecutionContext(
            Settings.Publisher is null ? DistributedApplicationOperation.Run : DistributedApplicationOperation.Publish);
        AppHostDirectory = FindAppHostDirectory();
    }

    /// <summary>Merged configuration.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Typed view of <see cref="Configuration"/>.</summary>
    public AppHostSettings Settings { get; }

    /// <summary>Run or publish.</summary>
    public DistributedApplicationExecutionContext ExecutionContext { get; }

    /// <summary>The AppHost project directory; relative project paths resolve against it.</summary>
    public string AppHostDirectory { get; }

    /// <summary>Resources declared so far, in order.</summary>
    public IReadOnlyList<ProjectResource> Resources => _resources;

    /// <summary>
    /// Adds the project at <paramref name="projectPath"/> (relative to the AppHost project). Like Aspire, HTTP
    /// endpoints are passed to ASP.NET Core as <c>ASPNETCORE_URLS</c> (run) or <c>HTTP_PORTS</c> (publish).
    /// </summary>
    public IResourceBuilder<ProjectResource> AddProject(string name, string projectPath)
    {
        if (_resources.Any(r => r.Name == name))
        {
            throw new InvalidOperationException($"A resource named '{name}' already exists.");
        }

        var resource = new ProjectResource(name, Path.Combine(AppHostDirectory, projectPath));
        _resources.Add(resource);
        var builder = new ResourceBuilder<ProjectResource>(this, resource);
        return builder.WithEnvironment(context =>
        {
            var http = resource.Endpoints.Where(e => e.Transport == "http").ToList();
            if (http.Count == 0)
            {
                return;
            }

            if (context.ExecutionContext.IsRunMode)
            {
                context.EnvironmentVariables["ASPNETCORE_URLS"] = string.Join(';',
                    http.Select(e => new EndpointReference(resource, e.Name).Url.GetLocalValue()));
                // Development: Blazor serves static web assets straight from the build output.
                context.EnvironmentVariables["ASPNETCORE_ENVIRONMENT"] = "Development";
                // The launcher polls /readyz; without this every poll is logged twice per child.
                context.EnvironmentVariables["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Warning";
                context.EnvironmentVariables["Logging__LogLevel__Microsoft.AspNetCore.Routing.EndpointMiddleware"] = "Warning";
            }
            else
            {
                context.EnvironmentVariables["HTTP_PORTS"] = new EndpointReference(resource, http[0].Name).TargetPort;
            }
        });
    }

    /// <summary>Freezes the model.</summary>
    public DistributedApplication Build() => new(this);

    private static string FindAppHostDirectory()
    {
        var recorded = typeof(DistributedApplicationBuilder).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AppHostProjectDirectory")?.Value;
        if (recorded is not null && Directory.Exists(recorded))
        {
            return recorded;
        }

        // The build moved (e.g. copied elsewhere): look upwards for the solution.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "AspireVector.AppHost");
            if (File.Exists(Path.Combine(candidate, "AspireVector.AppHost.csproj")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Cannot find the AspireVector.AppHost project directory.");
    }
}
