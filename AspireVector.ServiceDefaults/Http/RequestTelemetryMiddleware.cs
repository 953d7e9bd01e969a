using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace AspireVector.ServiceDefaults.Http;

/// <summary>
/// Records <see cref="HttpMetrics"/> for every request and names its span after the route template.
/// The span itself is the one ASP.NET Core hosting starts (source <c>Microsoft.AspNetCore</c>), which
/// already takes its parent from an incoming W3C <c>traceparent</c> header.
/// </summary>
public sealed class RequestTelemetryMiddleware
{
    /// <summary>The endpoint label of requests no route matched (404s), so raw paths never become labels.</summary>
    public const string UnmatchedEndpoint = "unmatched";

    private readonly RequestDelegate _next;
    private readonly HttpMetrics _metrics;

    /// <summary>Creates the middleware.</summary>
    public RequestTelemetryMiddleware(RequestDelegate next, HttpMetrics metrics)
    {
        _next = next;
        _metrics = metrics;
    }

    /// <summary>Runs the rest of the pipeline and records its outcome.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await _next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            // An exception escaping the pipeline becomes a 500 once the server handles it.
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? UnmatchedEndpoint;
            var method = context.Request.Method;
            _metrics.RecordResponse(method, endpoint, status, Stopwatch.GetElapsedTime(start));
            Enrich(context.Features.Get<IHttpActivityFeature>()?.Activity, method, endpoint, status);
        }
    }

    private static void Enrich(Activity? activity, string method, string endpoint, int status)
    {
        if (activity is null || !activity.IsAllDataRequested)
        {
            return;
        }

        activity.DisplayName = method + " " + endpoint;
        activity.SetTag("http.request.method", method);
        activity.SetTag("http.route", endpoint);
        activity.SetTag("http.response.status_code", status);
        if (status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
