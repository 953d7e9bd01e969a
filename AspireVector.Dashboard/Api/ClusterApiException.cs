using System.Net;

namespace AspireVector.Dashboard.Api;

/// <summary>A request failed: the API answered with an error, or no configured node answered.</summary>
public sealed class ClusterApiException : Exception
{
    /// <summary>Creates the exception with the API's error message.</summary>
    public ClusterApiException(string message, HttpStatusCode? statusCode = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>HTTP status of the API's answer; null when no node answered.</summary>
    public HttpStatusCode? StatusCode { get; }
}
