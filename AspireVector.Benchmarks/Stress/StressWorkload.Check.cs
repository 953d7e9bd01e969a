using System.Text.Json;

namespace AspireVector.Benchmarks.Stress;

public sealed partial class StressWorkload
{
    /// <summary>
    /// Reads every point with <c>consistency=all</c> (only points present on every replica of their shard come back)
    /// and compares them with the clients' models: ids, versions and vectors; then the exact count through every node.
    /// </summary>
    private async Task CheckAsync(List<StressClient> clients)
    {
        var expected = new Dictionary<long, int>();
        var uncertain = new HashSet<long>();
        foreach (var c in clients)
        {
            foreach (var (id, version) in c.Live) expected[id] = version;
            uncertain.UnionWith(c.Uncertain);
            Report.ReadAnomalies += c.ReadAnomalies;
        }

        Report.Expected = expected.Count;
        Report.Uncertain = uncertain.Count;
        var found = new HashSet<long>();
        JsonElement? offset = null;
        do
        {
            object request = offset is { } from
                ? new { limit = 1000, offset = from, with_vector = true, with_payload = true }
                : new { limit = 1000, with_vector = true, with_payload = true };
            var (status, body) = await CallAsync("final_scroll", 0, HttpMethod.Post, $"{Points}/scroll?consistency=all", request).ConfigureAwait(false);
            if (Result(status, body) is not { } page)
            {
                Report.Notes.Add($"the final scroll failed with {status}: the check is incomplete");
                Report.Missing = Math.Max(1, expected.Count - found.Count);
                return;
            }

            foreach (var p in page.GetProperty("points").EnumerateArray())
            {
                long id = p.GetProperty("id").GetInt64();
                found.Add(id);
                if (uncertain.Contains(id)) continue;
                if (!expected.TryGetValue(id, out int version))
                {
                    if (Report.Extra++ < 3) Report.Notes.Add($"point {id} exists but was deleted or never acknowledged");
                    continue;
                }

                if (p.GetProperty("payload").GetProperty("v").GetInt32() != version || !SameVector(p.GetProperty("vector"), VectorOf(id, version)))
                {
                    if (Report.WrongVector++ < 3) Report.Notes.Add($"point {id} is not in its acknowledged version {version}");
                }
            }

            offset = page.TryGetProperty("next_page_offset", out var next) && next.ValueKind != JsonValueKind.Null ? next : null;
        }
        while (offset is not null);

        Report.Found = found.Count;
        foreach (var id in expected.Keys)
        {
            if (found.Contains(id)) continue;
            if (Report.Missing++ < 3) Report.Notes.Add($"acknowledged point {id} is missing on some replica");
        }

        for (int i = 0; i < _nodes.Count; i++)
        {
            var (status, body) = await CallAsync("final_count", i, HttpMethod.Post, $"{Points}/count", new { exact = true }).ConfigureAwait(false);
            int count = Result(status, body)?.GetProperty("count").GetInt32() ?? -1;
            if (count != found.Count)
            {
                Report.CountMismatches++;
                Report.Notes.Add($"node {i} counts {count} points, {found.Count} are on every replica");
            }
        }
    }
}
