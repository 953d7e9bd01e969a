namespace AspireVector.Tests.Telemetry;

/// <summary>Waits for a condition with a deadline, probing on a timer instead of sleeping a fixed time.</summary>
internal static class Poll
{
    /// <summary>Probes until <paramref name="condition"/> holds or <paramref name="timeout"/> passes.</summary>
    /// <returns>Whether the condition held before the deadline.</returns>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan interval)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var timer = new PeriodicTimer(interval);
        do
        {
            if (await condition())
            {
                return true;
            }
        }
        while (await Tick(timer, deadline.Token));

        return await condition();
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken deadline)
    {
        try
        {
            return await timer.WaitForNextTickAsync(deadline);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
