namespace AspireVector.Node.Collections;

public sealed partial class TableOfContents
{
    /// <summary>
    /// Replaces collection <paramref name="name"/> (or creates it) by the collection folder <paramref name="staged"/>
    /// (config and shard segments extracted from a snapshot and already validated; moved, not copied, so it must be on
    /// the storage's file system). Single-node mode only: a cluster collection's placement lives in consensus.
    /// </summary>
    public Collection Restore(string name, CollectionConfig config, string staged)
    {
        CollectionName.Validate(name);
        if (Replicas is not null) throw new InvalidOperationException("a cluster collection is not restored from a folder");
        lock (_metaLock)
        {
            bool replacing = _collections.ContainsKey(name);
            if (!replacing && _collections.Count >= Options.Storage.MaxCollections)
                throw CollectionException.WrongInput($"Maximum number of collections ({Options.Storage.MaxCollections}) reached");
            string dir = Path.Combine(CollectionsDirectory, name);
            if (Path.GetDirectoryName(Path.GetFullPath(dir)) != CollectionsDirectory)
                throw new CollectionException(400, $"Validation error in path parameters: [name: collection name `{name}` is not a plain folder name]");
            if (replacing) RemoveLocked(name);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            // The staged folder carries its config.json: once moved, a crash leaves a loadable collection.
            Directory.Move(staged, dir);
            var collection = new Collection(name, dir, config, _loggerFactory);
            WriteConfig(collection, config);
            _collections[name] = collection;
            return collection;
        }
    }
}
