using AspireVector.Dashboard.Api;
using AspireVector.Dashboard.Configuration;
using AspireVector.Dashboard.Monitoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using Radzen;

namespace AspireVector.Tests.Dashboard.Components;

/// <summary>Renders dashboard components to HTML with ASP.NET Core's <see cref="HtmlRenderer"/> against a given API.</summary>
public sealed class ComponentHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly HtmlRenderer _renderer;

    /// <summary>Creates the harness.</summary>
    public ComponentHarness(IClusterApi api, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRadzenComponents();
        services.AddSingleton(api);
        services.AddSingleton(time);
        services.AddSingleton(Options.Create(new DashboardOptions()));
        services.AddScoped<ClusterSnapshotLoader>();
        services.AddSingleton<IJSRuntime, NoJsRuntime>();
        services.AddSingleton<NavigationManager, FixedNavigationManager>();
        _services = services.BuildServiceProvider();
        _renderer = new HtmlRenderer(_services, _services.GetRequiredService<ILoggerFactory>());
    }

    /// <summary>Renders <typeparamref name="T"/> once its asynchronous initialisation finished.</summary>
    public Task<string> RenderAsync<T>(Dictionary<string, object?>? parameters = null)
        where T : IComponent =>
        _renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await _renderer.RenderComponentAsync<T>(ParameterView.FromDictionary(parameters ?? []));
            return output.ToHtmlString();
        });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _services.DisposeAsync();
    }

    private sealed class NoJsRuntime : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            throw new InvalidOperationException($"Static rendering must not call JavaScript ({identifier}).");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            throw new InvalidOperationException($"Static rendering must not call JavaScript ({identifier}).");
    }

    private sealed class FixedNavigationManager : NavigationManager
    {
        public FixedNavigationManager() => Initialize("http://dashboard.test/", "http://dashboard.test/");
    }
}
