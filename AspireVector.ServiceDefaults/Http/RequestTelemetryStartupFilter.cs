using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace AspireVector.ServiceDefaults.Http;

/// <summary>
/// Puts <see cref="RequestTelemetryMiddleware"/> first in the pipeline, so it times everything the
/// application adds, and sees the 500 of an exception nothing else handled.
/// </summary>
internal sealed class RequestTelemetryStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<RequestTelemetryMiddleware>();
        next(app);
    };
}
