namespace AspireVector.Benchmarks.Stress;

/// <summary>Shape of one <see cref="StressWorkload"/> run.</summary>
public sealed record StressOptions
{
    /// <summary>How long the clients and the mover run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Concurrent clients, each owning a disjoint id range so the model of what must exist stays exact.</summary>
    public int Clients { get; init; } = 4;

    public int Dim { get; init; } = 64;

    public int Shards { get; init; } = 6;

    public int ReplicationFactor { get; init; } = 2;

    /// <summary>Points per upsert batch.</summary>
    public int Batch { get; init; } = 50;

    /// <summary>Above this many live points a client overwrites and deletes instead of adding (steady data size).</summary>
    public int MaxPointsPerClient { get; init; } = 5_000;

    /// <summary>Pause between two shard moves (each move also waits for its transfer).</summary>
    public TimeSpan MoveEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval of RSS and <c>/metrics</c> samples.</summary>
    public TimeSpan SampleEvery { get; init; } = TimeSpan.FromSeconds(10);

    public int Seed { get; init; } = 42;

    public string Collection { get; init; } = "stress";
}
