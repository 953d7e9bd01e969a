namespace AspireVector.Node.P2P.Grpc;

/// <summary>Per-call settings of a <see cref="P2PChannel"/> call.</summary>
public sealed class P2PCallOptions
{
    /// <summary>Options with nothing overridden.</summary>
    public static readonly P2PCallOptions Default = new();

    /// <summary>Deadline of this call; null uses <see cref="P2PChannelOptions.DefaultTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Disables the deadline even when the channel has a default one (long server streams).</summary>
    public bool NoDeadline { get; init; }

    /// <summary>Extra request headers (gRPC custom metadata; lower-case ASCII names).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }
}
