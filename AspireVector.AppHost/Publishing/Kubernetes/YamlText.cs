using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace AspireVector.AppHost.Publishing.Kubernetes;

/// <summary>Builds Kubernetes-style YAML from ordered maps: indented sequences, multi-line strings as literal blocks.</summary>
public static class YamlText
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithIndentedSequences()
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .WithEventEmitter(next => new LiteralBlockEmitter(next))
        .Build();

    /// <summary>An ordered map from key/value pairs; null values are left out.</summary>
    public static OrderedDictionary<string, object> Map(params (string Key, object? Value)[] entries)
    {
        var map = new OrderedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map[key] = value;
            }
        }

        return map;
    }

    /// <summary>A sequence.</summary>
    public static List<object> List(params object[] items) => [.. items];

    /// <summary>One YAML document.</summary>
    public static string Serialize(object document) => Serializer.Serialize(document);

    /// <summary>Several documents separated by <c>---</c>.</summary>
    public static string SerializeAll(IEnumerable<object> documents) =>
        string.Join("---\n", documents.Select(Serialize));

    /// <summary>Emits strings containing line breaks as <c>|</c> blocks, so scripts and config files stay readable.</summary>
    private sealed class LiteralBlockEmitter(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Value is string text && text.Contains('\n'))
            {
                eventInfo.Style = ScalarStyle.Literal;
            }

            base.Emit(eventInfo, emitter);
        }
    }
}
