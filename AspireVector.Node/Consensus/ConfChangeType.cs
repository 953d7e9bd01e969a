namespace AspireVector.Node.Consensus;

/// <summary>Single-server membership changes.</summary>
public enum ConfChangeType : byte
{
    /// <summary>Adds a non-voting member that receives the log.</summary>
    AddLearner = 0,

    /// <summary>Adds a voter, or promotes a learner to voter.</summary>
    AddVoter = 1,

    /// <summary>Removes a voter or learner.</summary>
    RemoveNode = 2,
}
