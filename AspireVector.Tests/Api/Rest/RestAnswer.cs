using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>One HTTP answer, with Qdrant's envelope checked on access.</summary>
public sealed class RestAnswer
{
    public RestAnswer(HttpStatusCode status, string raw)
    {
        Status = status;
        Raw = raw;
        if (raw.Length > 0 && raw[0] == '{')
        {
            using var doc = JsonDocument.Parse(raw);
            Body = doc.RootElement.Clone();
        }
    }

    public HttpStatusCode Status { get; }

    public string Raw { get; }

    /// <summary>The parsed body (undefined when it is not a JSON object).</summary>
    public JsonElement Body { get; }

    /// <summary>Asserts 200 and <c>{"result":..,"status":"ok","time":..}</c>; returns <c>result</c>.</summary>
    public JsonElement Result
    {
        get
        {
            Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Raw}");
            Assert.Equal(["result", "status", "time"], Body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("ok", Body.GetProperty("status").GetString());
            Assert.True(Body.GetProperty("time").GetDouble() >= 0);
            return Body.GetProperty("result");
        }
    }

    /// <summary>Asserts <paramref name="expected"/> and <c>{"status":{"error":".."},"time":..}</c>; returns the message.</summary>
    public string Error(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"expected {(int)expected}, got {(int)Status}: {Raw}");
        Assert.Equal(["status", "time"], Body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Number, Body.GetProperty("time").ValueKind);
        return Body.GetProperty("status").GetProperty("error").GetString()!;
    }
}
