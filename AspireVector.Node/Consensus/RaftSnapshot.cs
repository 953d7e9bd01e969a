namespace AspireVector.Node.Consensus;

/// <summary>State-machine image covering the log up to <paramref name="Index"/>, with the membership at that point.</summary>
/// <param name="Index">Last log index the image includes.</param>
/// <param name="Term">Term of the entry at <paramref name="Index"/>.</param>
/// <param name="Conf">Membership after applying everything up to <paramref name="Index"/>.</param>
/// <param name="Data">Opaque state-machine image.</param>
public sealed record RaftSnapshot(ulong Index, ulong Term, ConfState Conf, byte[] Data);
