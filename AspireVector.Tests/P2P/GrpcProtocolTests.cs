using AspireVector.Node.P2P.Grpc;

namespace AspireVector.Tests.P2P;

public sealed class GrpcProtocolTests
{
    [Theory]
    [InlineData("1H", 3600_000)]
    [InlineData("2M", 120_000)]
    [InlineData("3S", 3_000)]
    [InlineData("250m", 250)]
    [InlineData("1500u", 1.5)]
    [InlineData("2000000n", 2)]
    public void Timeout_units_parse(string value, double expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), GrpcProtocol.ParseTimeout(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5x")]
    [InlineData("-5m")]
    [InlineData("123456789m")]
    public void Malformed_timeouts_are_ignored(string? value) => Assert.Null(GrpcProtocol.ParseTimeout(value));

    [Fact]
    public void Huge_timeouts_are_clamped_to_what_timers_accept()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(int.MaxValue), GrpcProtocol.ParseTimeout("99999999H"));
    }

    [Theory]
    [InlineData(0.5, "500u")]
    [InlineData(250, "250m")]
    [InlineData(3_600_000, "3600000m")]
    [InlineData(200_000_000, "200000S")]
    public void Timeouts_format_with_at_most_eight_digits(double ms, string expected)
    {
        string formatted = GrpcProtocol.FormatTimeout(TimeSpan.FromMilliseconds(ms));
        Assert.Equal(expected, formatted);
        Assert.True(formatted.Length <= 9);
        Assert.True(GrpcProtocol.ParseTimeout(formatted) >= TimeSpan.FromMilliseconds(ms));
    }

    [Fact]
    public void Zero_timeout_formats_as_the_smallest_positive_value() => Assert.Equal("1u", GrpcProtocol.FormatTimeout(TimeSpan.Zero));

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%", "100%25")]
    [InlineData("ü", "%C3%BC")]
    [InlineData("line\nbreak", "line%0Abreak")]
    public void Status_messages_are_percent_encoded(string raw, string encoded)
    {
        Assert.Equal(encoded, GrpcProtocol.EncodeMessage(raw));
        Assert.Equal(raw, GrpcProtocol.DecodeMessage(encoded));
    }

    [Fact]
    public void Malformed_escapes_are_kept_verbatim() => Assert.Equal("50%zz and %", GrpcProtocol.DecodeMessage("50%zz and %"));

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("application/grpc-web", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void Grpc_content_types_are_recognized(string? contentType, bool expected) =>
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));
}
