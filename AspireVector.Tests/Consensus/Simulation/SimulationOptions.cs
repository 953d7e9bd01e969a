namespace AspireVector.Tests.Consensus.Simulation;

/// <summary>Shape of one simulated schedule; everything random derives from <see cref="Seed"/>.</summary>
internal sealed record SimulationOptions(int Seed)
{
    public int Voters { get; init; } = 3;

    public int Steps { get; init; } = 800;

    public double LossRate { get; init; } = 0.05;

    public double DuplicateRate { get; init; } = 0.05;

    public bool Crashes { get; init; } = true;

    public bool Partitions { get; init; } = true;

    public bool MembershipChanges { get; init; } = true;

    public int CompactEvery { get; init; } = 16;

    /// <summary>Total peers the schedule may ever create (initial voters plus joiners).</summary>
    public int MaxPeers { get; init; } = 9;

    /// <summary>Rounds allowed after healing everything for a leader to commit a final proposal everywhere.</summary>
    public int LivenessRounds { get; init; } = 400;

    public override string ToString() =>
        $"seed={Seed} voters={Voters} steps={Steps} loss={LossRate} dup={DuplicateRate} crashes={Crashes} " +
        $"partitions={Partitions} membership={MembershipChanges} compact={CompactEvery}";
}
