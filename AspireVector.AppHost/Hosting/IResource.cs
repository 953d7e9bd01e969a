namespace AspireVector.AppHost.Hosting;

/// <summary>A named part of the distributed application (Aspire's <c>IResource</c>).</summary>
public interface IResource
{
    /// <summary>Unique name; also the prefix of its logs and of <c>services__&lt;name&gt;__*</c> variables.</summary>
    string Name { get; }
}
