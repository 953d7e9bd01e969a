namespace AspireVector.Tests.AppHost;

/// <summary>Collects a child process's output lines and lets a test wait (with a deadline) for one.</summary>
internal sealed class OutputLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _changed = new(0);

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
        }

        _changed.Release();
    }

    public List<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }

    /// <summary>Waits for a line matching <paramref name="match"/>; returns every line up to it.</summary>
    public async Task<List<string>> WaitForAsync(Func<string, bool> match, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var lines = Snapshot();
            var index = lines.FindIndex(l => match(l));
            if (index >= 0)
            {
                return lines[..(index + 1)];
            }

            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _changed.WaitAsync(left))
            {
                throw new TimeoutException("Expected output not seen. Output so far:\n" + string.Join('\n', lines.TakeLast(60)));
            }
        }
    }

    public void Dispose() => _changed.Dispose();
}
