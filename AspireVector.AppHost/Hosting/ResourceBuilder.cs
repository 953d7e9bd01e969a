namespace AspireVector.AppHost.Hosting;

/// <summary>Default <see cref="IResourceBuilder{T}"/>.</summary>
internal sealed class ResourceBuilder<T>(DistributedApplicationBuilder applicationBuilder, T resource) : IResourceBuilder<T>
    where T : IResource
{
    public DistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;

    public T Resource { get; } = resource;
}
