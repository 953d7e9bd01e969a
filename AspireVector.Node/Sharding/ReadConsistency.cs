using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace AspireVector.Node.Sharding;

/// <summary>
/// The <c>?consistency=</c> of a read, as Qdrant defines it: a number N (ask N replicas, keep points present on all
/// of them), <c>majority</c> (ask every replica, keep points present on a majority), <c>quorum</c> (ask N/2+1,
/// keep points present on all) or <c>all</c> (ask every replica, keep points present on all).
/// </summary>
public readonly record struct ReadConsistency(ReadConsistencyKind Kind, int Factor)
{
    /// <summary>The default: one readable replica per shard.</summary>
    public static readonly ReadConsistency Default = new(ReadConsistencyKind.Factor, 1);

    /// <summary>Parses the query parameter; null or empty means <see cref="Default"/>.</summary>
    public static bool TryParse(string? text, out ReadConsistency consistency, [NotNullWhen(false)] out string? error)
    {
        error = null;
        consistency = Default;
        if (string.IsNullOrEmpty(text)) return true;
        switch (text)
        {
            case "majority": consistency = new(ReadConsistencyKind.Majority, 0); return true;
            case "quorum": consistency = new(ReadConsistencyKind.Quorum, 0); return true;
            case "all": consistency = new(ReadConsistencyKind.All, 0); return true;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
        {
            consistency = new(ReadConsistencyKind.Factor, n);
            return true;
        }
        error = $"Bad request: invalid consistency `{text}`: expected a positive integer, `majority`, `quorum` or `all`";
        return false;
    }

    /// <summary>How many of <paramref name="replicas"/> readable replicas must answer.</summary>
    public int RequiredResponses(int replicas) => Kind switch
    {
        ReadConsistencyKind.Factor => Math.Min(Factor, replicas),
        ReadConsistencyKind.Quorum => replicas / 2 + 1,
        _ => replicas,
    };

    /// <summary>
    /// How many of the answering replicas must contain a point for it to be returned: all of them, except
    /// <c>majority</c>, which keeps points present on more than half.
    /// </summary>
    public int RequiredPresence(int responses) => Kind == ReadConsistencyKind.Majority ? responses / 2 + 1 : responses;
}

/// <summary>Kinds of read consistency.</summary>
public enum ReadConsistencyKind
{
    Factor,
    Majority,
    Quorum,
    All,
}
