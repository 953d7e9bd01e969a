using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace AspireVector.ServiceDefaults.Tracing;

/// <summary>
/// W3C Trace Context (<c>traceparent</c>, <c>tracestate</c>) carried in HTTP/2 headers, which is where gRPC
/// metadata travels, so one trace spans the coordinating node and every peer it calls.
/// </summary>
public static class TraceContext
{
    /// <summary>The W3C header naming trace, parent span and sampling flag.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The W3C header with vendor-specific trace state.</summary>
    public const string TraceStateHeader = "tracestate";

    /// <summary>
    /// Writes <paramref name="activity"/>'s context into outgoing <paramref name="headers"/> unless a
    /// <c>traceparent</c> is already there (the HTTP client's own propagation may have added it).
    /// </summary>
    /// <returns>Whether a header was written.</returns>
    public static bool Inject(Activity? activity, HttpHeaders headers)
    {
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C || headers.Contains(TraceParentHeader))
        {
            return false;
        }

        headers.TryAddWithoutValidation(TraceParentHeader, activity.Id);
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            headers.TryAddWithoutValidation(TraceStateHeader, activity.TraceStateString);
        }

        return true;
    }

    /// <summary>Reads the remote parent context from incoming request headers.</summary>
    /// <returns>False when there is no valid <c>traceparent</c>.</returns>
    public static bool TryExtract(IHeaderDictionary headers, out ActivityContext context)
    {
        var traceParent = headers[TraceParentHeader].ToString();
        if (traceParent.Length == 0)
        {
            context = default;
            return false;
        }

        var traceState = headers[TraceStateHeader].ToString();
        return ActivityContext.TryParse(traceParent, traceState.Length == 0 ? null : traceState, isRemote: true, out context);
    }
}
