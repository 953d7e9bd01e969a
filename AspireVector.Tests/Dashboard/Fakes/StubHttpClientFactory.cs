using System.Net;
using System.Text;

namespace AspireVector.Tests.Dashboard.Fakes;

/// <summary>An <see cref="IHttpClientFactory"/> whose clients answer from a function, recording requests.</summary>
public sealed class StubHttpClientFactory(Func<HttpRequestMessage, (HttpStatusCode Status, string Body)> answer) : IHttpClientFactory
{
    /// <summary>Computes the answer to a request.</summary>
    public (HttpStatusCode Status, string Body) Answer(HttpRequestMessage request) => answer(request);

    /// <summary>Requests seen, with their bodies.</summary>
    public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = [];

    /// <inheritdoc />
    public HttpClient CreateClient(string name) => new(new Handler(this), disposeHandler: true);

    private sealed class Handler(StubHttpClientFactory owner) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (owner.Requests)
            {
                owner.Requests.Add((request, body));
            }

            var (status, text) = owner.Answer(request);
            return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
        }
    }
}
