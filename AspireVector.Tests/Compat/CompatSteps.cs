using System.Text.Json;
using AspireVector.Tests.P2P;
using Xunit.Abstractions;

namespace AspireVector.Tests.Compat;

/// <summary>
/// Reads a compatibility script's JSON lines (<c>{"step": .., "ok": ..}</c> per step, then <c>{"done": .., "passed": ..,
/// "failed": ..}</c>) and asserts that every expected step ran, in order, and passed.
/// </summary>
internal static class CompatSteps
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task AssertAllPassAsync(NodeScript script, IReadOnlyList<string> expected, ITestOutputHelper output)
    {
        var steps = new List<(string Name, bool Ok, string Line)>();
        JsonElement done;
        while (true)
        {
            string line = await script.WaitForLineAsync(l => l.StartsWith('{'), Patience);
            output.WriteLine(line);
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            if (root.TryGetProperty("done", out _))
            {
                done = root.Clone();
                break;
            }

            if (root.TryGetProperty("step", out JsonElement step))
            {
                steps.Add((step.GetString()!, root.GetProperty("ok").GetBoolean(), line));
            }
        }

        string failures = string.Join('\n', steps.Where(s => !s.Ok).Select(s => s.Line));
        Assert.True(failures.Length == 0, "steps failed against the node:\n" + failures);
        Assert.Equal(expected, steps.Select(s => s.Name));
        Assert.Equal(expected.Count, done.GetProperty("passed").GetInt32());
        Assert.Equal(0, done.GetProperty("failed").GetInt32());
    }
}
