using AspireVector.Dashboard.Configuration;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace AspireVector.Dashboard.Components;

/// <summary>
/// Base of the live pages: loads once while rendering, then refreshes on a timer once the circuit is
/// interactive. Each refresh runs on the renderer's dispatcher, so it never interleaves with an
/// action handler of the same page.
/// </summary>
public abstract class LiveComponent : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    /// <summary>Refresh period and other settings.</summary>
    [Inject]
    protected IOptions<DashboardOptions> Options { get; set; } = default!;

    /// <summary>Clock of the refresh timer.</summary>
    [Inject]
    protected TimeProvider Time { get; set; } = default!;

    /// <summary>Cancelled when the page goes away.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    /// <summary>Reads fresh data into the component's fields.</summary>
    protected abstract Task RefreshAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => RefreshAsync(Stopping);

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender)
    {
        // Only an interactive circuit runs after-render callbacks, so prerendering and tests start no timer.
        if (firstRender)
        {
            _loop = RunAsync();
        }
    }

    /// <summary>Refreshes now (after an action) and re-renders.</summary>
    protected async Task RefreshNowAsync()
    {
        try
        {
            await RefreshAsync(Stopping);
            RefreshError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Keep the last good data on screen and say why it is stale, rather than killing the circuit.
            RefreshError = ex.Message;
        }

        StateHasChanged();
    }

    /// <summary>Why the latest refresh failed, or null.</summary>
    protected string? RefreshError { get; private set; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Options.Value.RefreshInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(Stopping))
            {
                await InvokeAsync(RefreshNowAsync);
            }
        }
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
        {
            // The page was closed.
        }
    }
}
