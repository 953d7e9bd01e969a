using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AspireVector.Tests.ServiceDefaults;

public sealed class LivenessTests : IClassFixture<WebApplicationFactory<AspireVector.Node.Program>>
{
    private readonly WebApplicationFactory<AspireVector.Node.Program> _factory;

    public LivenessTests(WebApplicationFactory<AspireVector.Node.Program> factory) => _factory = factory;

    [Fact]
    public async Task Livez_answers_ok()
    {
        using var client = _factory.CreateClient();
        var response = await client.GetAsync("/livez");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
