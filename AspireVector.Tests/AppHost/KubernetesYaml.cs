using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace AspireVector.Tests.AppHost;

/// <summary>Parses generated YAML into plain maps/lists and walks them by path.</summary>
internal static class KubernetesYaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static List<Dictionary<object, object>> Documents(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            documents.Add(Deserializer.Deserialize<Dictionary<object, object>>(parser));
        }

        return documents;
    }

    /// <summary>Follows <paramref name="path"/> ("spec.template.spec"; list items as numbers).</summary>
    public static object At(object node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node switch
            {
                Dictionary<object, object> map => map.TryGetValue(part, out var child) ? child : throw new KeyNotFoundException($"'{part}' missing in {path}"),
                List<object> list => list[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)],
                _ => throw new InvalidOperationException($"Cannot descend into '{part}' of {path}"),
            };
        }

        return node;
    }

    public static string Text(object node, string path) => (string)At(node, path);

    public static List<object> List(object node, string path) => (List<object>)At(node, path);

    public static Dictionary<object, object> Kind(IEnumerable<Dictionary<object, object>> documents, string kind, string? name = null) =>
        documents.Single(d => Text(d, "kind") == kind && (name is null || Text(d, "metadata.name") == name));
}
