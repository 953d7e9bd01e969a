namespace AspireVector.Node.Collections;

/// <summary>
/// The rules of alias changes, shared by single-node storage and the cluster's state machine so both accept and
/// refuse the same requests: a list of actions applies as a whole or not at all.
/// </summary>
public static class AliasMap
{
    /// <summary>
    /// The aliases after <paramref name="actions"/>, in order, on a copy of <paramref name="aliases"/>; a
    /// <see cref="CollectionException"/> (nothing changed) when one of them is refused, with Qdrant's wording.
    /// </summary>
    public static SortedDictionary<string, string> Apply(IReadOnlyDictionary<string, string> aliases, Func<string, bool> collectionExists, IReadOnlyList<AliasAction> actions)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (alias, collection) in aliases) result[alias] = collection;
        foreach (var action in actions)
        {
            switch (action.Kind)
            {
                case AliasActionKind.Create:
                    string target = action.Collection ?? throw CollectionException.BadJson("missing field `collection_name`");
                    if (!collectionExists(target)) throw CollectionException.NotFound(target);
                    if (collectionExists(action.Alias)) throw CollectionException.WrongInput($"Collection `{action.Alias}` already exists!");
                    result[action.Alias] = target;
                    break;
                case AliasActionKind.Delete:
                    result.Remove(action.Alias);
                    break;
                case AliasActionKind.Rename:
                    string renamed = action.NewAlias ?? throw CollectionException.BadJson("missing field `new_alias_name`");
                    if (!result.Remove(action.Alias, out var of)) throw new CollectionException(404, $"Not found: Alias {action.Alias} does not exists!");
                    if (collectionExists(renamed)) throw CollectionException.WrongInput($"Collection `{renamed}` already exists!");
                    result[renamed] = of;
                    break;
            }
        }

        return result;
    }

    /// <summary>Removes the aliases of a deleted collection from <paramref name="aliases"/>.</summary>
    public static void RemoveCollection(IDictionary<string, string> aliases, string collection)
    {
        foreach (var (alias, target) in aliases.ToArray())
        {
            if (target == collection) aliases.Remove(alias);
        }
    }

    /// <summary>400 when a collection is to be created under the name of an existing alias (Qdrant's wording).</summary>
    public static void EnsureNotAlias(IReadOnlyDictionary<string, string> aliases, string name)
    {
        if (aliases.ContainsKey(name))
            throw CollectionException.WrongInput($"Can't create collection with name {name}. Alias with the same name already exists");
    }
}
