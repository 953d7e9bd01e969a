namespace AspireVector.Tests.Dashboard.Fakes;

/// <summary>An error the fake node answers with Qdrant's envelope.</summary>
public sealed class FakeApiError(int status, string message) : Exception(message)
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;
}
