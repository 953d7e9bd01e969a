using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>Health endpoints, the version root and telemetry.</summary>
public sealed class ServiceApiTests(RestNode node) : IClassFixture<RestNode>
{
    [Theory]
    [InlineData("/healthz", "healthz check passed")]
    [InlineData("/livez", "livez check passed")]
    [InlineData("/readyz", "all shards are ready")]
    public async Task Health_endpoints_answer_plain_text(string path, string text)
    {
        var answer = await node.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(text, answer.Raw);
    }

    [Fact]
    public async Task Root_answers_title_and_version_without_an_envelope()
    {
        var answer = await node.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("vector search engine", answer.Body.GetProperty("title").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", answer.Body.GetProperty("version").GetString());
        Assert.False(answer.Body.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task Telemetry_reports_the_app_and_its_collections()
    {
        await node.CreateCollectionAsync("telemetry-one");
        await node.UpsertAsync("telemetry-one", """[{"id": 1, "vector": [1, 0, 0, 0]}, {"id": 2, "vector": [0, 1, 0, 0]}]""");

        var result = (await node.GetAsync("/telemetry?details_level=2")).Result;
        var app = result.GetProperty("app");
        Assert.False(string.IsNullOrEmpty(app.GetProperty("name").GetString()));
        Assert.Matches(@"^\d+\.\d+\.\d+", app.GetProperty("version").GetString());
        Assert.True(DateTimeOffset.TryParse(app.GetProperty("startup").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        var collections = result.GetProperty("collections");
        Assert.True(collections.GetProperty("number_of_collections").GetInt32() >= 1);
        var mine = collections.GetProperty("collections").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "telemetry-one");
        Assert.Equal(JsonValueKind.Object, mine.ValueKind);
    }
}
