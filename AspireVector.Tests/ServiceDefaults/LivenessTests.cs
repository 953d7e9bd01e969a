using System.Net;
using AspireVector.Tests.Telemetry;

namespace AspireVector.Tests.ServiceDefaults;

public sealed class LivenessTests
{
    [Fact]
    public async Task Livez_answers_ok()
    {
        await using var factory = NodeHost.Create();
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/livez");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
