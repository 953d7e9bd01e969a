namespace AspireVector.Node.Filters;

public sealed partial class PayloadKey
{
    /// <summary>
    /// True when this include pattern selects <paramref name="path"/> or one of its ancestors or descendants
    /// (one path is a prefix of the other), as Qdrant's <c>with_payload.include</c> does.
    /// </summary>
    internal bool IncludesPath(string firstKey, List<PayloadKeyItem> path)
    {
        if (FirstKey != firstKey) return false;
        var n = Math.Min(_rest.Length, path.Count);
        for (var i = 0; i < n; i++)
            if (_rest[i] != path[i]) return false;
        return true;
    }

    /// <summary>True when this exclude pattern is a prefix of <paramref name="path"/> (the path lies in the excluded subtree).</summary>
    internal bool ExcludesPath(string firstKey, List<PayloadKeyItem> path)
    {
        if (FirstKey != firstKey || path.Count < _rest.Length) return false;
        for (var i = 0; i < _rest.Length; i++)
            if (_rest[i] != path[i]) return false;
        return true;
    }

    /// <summary>
    /// True when a change at <paramref name="other"/> may change the values at this path (either path is a
    /// prefix of the other, counting <c>[i]</c> and <c>[]</c> as compatible). Used to keep payload indexes exact.
    /// </summary>
    public bool Overlaps(PayloadKey other)
    {
        if (FirstKey != other.FirstKey) return false;
        var n = Math.Min(_rest.Length, other._rest.Length);
        for (var i = 0; i < n; i++)
        {
            var a = _rest[i];
            var b = other._rest[i];
            if (a.Kind == PayloadKeyItemKind.Key || b.Kind == PayloadKeyItemKind.Key)
            {
                if (a != b) return a.Kind != b.Kind; // an object step against an array step: the subtree may be replaced
                continue;
            }
            if (a.Kind == PayloadKeyItemKind.Index && b.Kind == PayloadKeyItemKind.Index && a.Index != b.Index) return false;
        }
        return true;
    }
}
