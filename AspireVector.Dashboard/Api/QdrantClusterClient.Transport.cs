using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Dashboard.Configuration;

namespace AspireVector.Dashboard.Api;

public sealed partial class QdrantClusterClient
{
    /// <summary>Snake-case JSON as the Qdrant API speaks it; ids and counts may arrive as strings from some proxies.</summary>
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    private static T Deserialize<T>(JsonElement result)
    {
        try
        {
            return result.Deserialize<T>(JsonOptions) ?? throw new ClusterApiException($"The API answered null where {typeof(T).Name} was expected.");
        }
        catch (JsonException ex)
        {
            throw new ClusterApiException($"Unexpected answer shape for {typeof(T).Name}: {ex.Message}", null, ex);
        }
    }

    private async Task<IReadOnlyList<NodeAnswer<T>>> FanOutAsync<T>(HttpMethod method, string path, CancellationToken cancellationToken)
        where T : class
    {
        var tasks = _nodes.Select(async node =>
        {
            try
            {
                var result = await SendAsync(node, method, path, null, cancellationToken);
                return new NodeAnswer<T>(node, Deserialize<T>(result), null, true);
            }
            catch (NodeUnreachableException ex)
            {
                return new NodeAnswer<T>(node, null, ex.Message, false);
            }
            catch (ClusterApiException ex)
            {
                return new NodeAnswer<T>(node, null, ex.Message, true);
            }
        });
        return await Task.WhenAll(tasks);
    }

    /// <param name="method">HTTP method.</param>
    /// <param name="path">Path relative to a node's base address.</param>
    /// <param name="body">JSON body, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="lastResortPeer">A peer whose own node is asked only when no other node answers.</param>
    /// <param name="change">
    /// The request changes the cluster: it gets <see cref="DashboardOptions.OperationTimeout"/>, and it moves on to the
    /// next node only when it never reached this one (connection refused); after a timeout or a dropped connection it
    /// may have been applied, so sending it again elsewhere could apply it twice or fail on its own effect.
    /// </param>
    private async Task<JsonElement> FailoverAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, ulong? lastResortPeer = null, bool change = false)
    {
        if (_nodes.Length == 0)
        {
            throw new ClusterApiException("No node is configured (set Dashboard:Nodes or services__node-0__http__0).");
        }

        var failures = new List<string>();
        foreach (var index in FailoverOrder(lastResortPeer))
        {
            try
            {
                var timeout = change ? _options.OperationTimeout : _options.RequestTimeout;
                var result = await SendAsync(_nodes[index], method, path, body, timeout, cancellationToken);
                Volatile.Write(ref _preferred, index);
                return result;
            }
            catch (NodeUnreachableException ex) when (!change || !ex.MaybeReceived)
            {
                failures.Add($"{_nodes[index].Name}: {ex.Message}");
            }
            catch (NodeUnreachableException ex)
            {
                throw new ClusterApiException(
                    $"{_nodes[index].Name}: {ex.Message}; the change may still be applied, so it was not sent to another node (refresh to see its effect)");
            }
        }

        throw new ClusterApiException("No configured node answered. " + string.Join("; ", failures));
    }

    /// <summary>Node indexes from the preferred one on, with the node known to be <paramref name="lastResortPeer"/> moved last.</summary>
    private List<int> FailoverOrder(ulong? lastResortPeer)
    {
        var start = Volatile.Read(ref _preferred);
        var order = Enumerable.Range(0, _nodes.Length).Select(attempt => (start + attempt) % _nodes.Length).ToList();
        if (lastResortPeer is { } peer)
        {
            var reachability = Reachability;
            var last = order.FindIndex(i => reachability[i].PeerId == peer);
            if (last >= 0)
            {
                var index = order[last];
                order.RemoveAt(last);
                order.Add(index);
            }
        }

        return order;
    }

    /// <summary>Sends one request to one node and returns the envelope's <c>result</c>.</summary>
    /// <exception cref="NodeUnreachableException">Connection failure or timeout.</exception>
    /// <exception cref="ClusterApiException">The node answered with an error.</exception>
    private Task<JsonElement> SendAsync(NodeEndpoint node, HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(node, method, path, body, _options.RequestTimeout, cancellationToken);

    private async Task<JsonElement> SendAsync(NodeEndpoint node, HttpMethod method, string path, JsonNode? body, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        using var request = new HttpRequestMessage(method, new Uri(node.BaseAddress, path));
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.TryAddWithoutValidation("api-key", _options.ApiKey);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpStatusCode status;
        string text;
        try
        {
            var http = _httpClients.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            status = response.StatusCode;
            text = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var message = $"no answer within {limit.TotalSeconds:0.#} s";
            MarkReachability(node, false, message);
            throw new NodeUnreachableException(message, MaybeReceived: true);
        }
        catch (HttpRequestException ex)
        {
            MarkReachability(node, false, ex.Message);
            throw new NodeUnreachableException(ex.Message, MaybeReceived: ex.HttpRequestError != HttpRequestError.ConnectionError);
        }

        MarkReachability(node, true, null);
        return ReadEnvelope(status, text);
    }

    private static JsonElement ReadEnvelope(HttpStatusCode status, string text)
    {
        JsonDocument? document = null;
        try
        {
            document = string.IsNullOrWhiteSpace(text) ? null : JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            document = null;
        }

        using (document)
        {
            var root = document?.RootElement;
            if ((int)status is >= 200 and < 300)
            {
                if (root is { ValueKind: JsonValueKind.Object } envelope && envelope.TryGetProperty("result", out var result))
                {
                    return result.Clone();
                }

                throw new ClusterApiException($"HTTP {(int)status}: answer without a result: {Truncate(text)}", status);
            }

            // Qdrant's error envelope: {"status":{"error":"..."},"time":..}
            if (root is { ValueKind: JsonValueKind.Object } error
                && error.TryGetProperty("status", out var statusElement)
                && statusElement.ValueKind == JsonValueKind.Object
                && statusElement.TryGetProperty("error", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                throw new ClusterApiException(message.GetString()!, status);
            }

            throw new ClusterApiException($"HTTP {(int)status} {status}: {Truncate(text)}", status);
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private void MarkReachability(NodeEndpoint node, bool reachable, string? error)
    {
        var now = _time.GetUtcNow();
        lock (_reachability)
        {
            var index = Array.IndexOf(_nodes, node);
            if (index >= 0)
            {
                _reachability[index] = _reachability[index] with { Reachable = reachable, LastError = error, CheckedAt = now };
            }
        }
    }

    /// <summary>Transport failure: the node did not answer, so the next node may be tried.</summary>
    /// <param name="MaybeReceived">The request may have reached the node (a timeout, a dropped connection), not refused.</param>
    private sealed class NodeUnreachableException(string message, bool MaybeReceived) : Exception(message)
    {
        public bool MaybeReceived { get; } = MaybeReceived;
    }
}
