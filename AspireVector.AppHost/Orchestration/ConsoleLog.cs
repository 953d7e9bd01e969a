namespace AspireVector.AppHost.Orchestration;

/// <summary>Serialised console output with a coloured <c>[resource]</c> prefix per line.</summary>
public sealed class ConsoleLog
{
    private static readonly string[] Palette = ["\e[36m", "\e[32m", "\e[33m", "\e[35m", "\e[34m", "\e[96m", "\e[92m", "\e[93m"];
    private readonly Lock _gate = new();
    private readonly bool _colour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private readonly Dictionary<string, string> _colours = new(StringComparer.Ordinal);

    /// <summary>Writes one line from <paramref name="source"/>.</summary>
    public void Line(string source, string text)
    {
        lock (_gate)
        {
            if (!_colours.TryGetValue(source, out var colour))
            {
                colour = Palette[_colours.Count % Palette.Length];
                _colours[source] = colour;
            }

            Console.Out.WriteLine(_colour ? $"{colour}[{source}]\e[0m {text}" : $"[{source}] {text}");
        }
    }

    /// <summary>Writes a line of the launcher's own.</summary>
    public void Info(string text) => Line("apphost", text);

    /// <summary>Writes a block (e.g. the resource table) without interleaving child output.</summary>
    public void Block(string text)
    {
        lock (_gate)
        {
            Console.Out.Write(text);
            Console.Out.Flush();
        }
    }
}
