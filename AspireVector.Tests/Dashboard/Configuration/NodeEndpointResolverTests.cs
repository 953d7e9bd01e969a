using AspireVector.Dashboard.Configuration;
using Microsoft.Extensions.Configuration;

namespace AspireVector.Tests.Dashboard.Configuration;

public sealed class NodeEndpointResolverTests
{
    [Fact]
    public void ExplicitNodesComeFirstThenAspireNodesByNumericIndex()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:Nodes:0"] = "http://10.0.0.5:6333",
            ["services:node-10:http:0"] = "http://127.0.0.1:7010",
            ["services:node-2:http:0"] = "http://127.0.0.1:7002",
            ["services:node-0:http:0"] = "http://127.0.0.1:7000/",
            ["services:dashboard:http:0"] = "http://127.0.0.1:9999",
        }).Build();

        var endpoints = NodeEndpointResolver.Resolve(configuration);

        Assert.Equal(["http://10.0.0.5:6333/", "http://127.0.0.1:7000/", "http://127.0.0.1:7002/", "http://127.0.0.1:7010/"], endpoints.Select(e => e.BaseAddress.ToString()));
        Assert.Equal(["http://10.0.0.5:6333", "node-0", "node-2", "node-10"], endpoints.Select(e => e.Name));
    }

    [Fact]
    public void AspireEnvironmentVariablesAreRead()
    {
        Environment.SetEnvironmentVariable("AVDASHTEST_services__node-1__http__0", "http://127.0.0.1:7101");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables("AVDASHTEST_").Build();

            var endpoint = Assert.Single(NodeEndpointResolver.Resolve(configuration));

            Assert.Equal("node-1", endpoint.Name);
            Assert.Equal(new Uri("http://127.0.0.1:7101/"), endpoint.BaseAddress);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AVDASHTEST_services__node-1__http__0", null);
        }
    }

    [Fact]
    public void DuplicatesAreDroppedAndBadAddressesRejected()
    {
        var duplicate = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:Nodes:0"] = "http://127.0.0.1:7000",
            ["services:node-0:http:0"] = "http://127.0.0.1:7000/",
        }).Build();
        Assert.Single(NodeEndpointResolver.Resolve(duplicate));

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Dashboard:Nodes:0"] = "node-0:6333" }).Build();
        Assert.Throws<InvalidOperationException>(() => NodeEndpointResolver.Resolve(bad));
    }
}
