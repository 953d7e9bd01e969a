using System.Globalization;
using System.Text;

namespace AspireVector.Node.P2P.Grpc;

/// <summary>
/// Constants and header encodings of the gRPC-over-HTTP/2 wire protocol
/// (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md).
/// </summary>
public static class GrpcProtocol
{
    /// <summary>Content type of gRPC requests and responses.</summary>
    public const string ContentType = "application/grpc";
    /// <summary>Trailer (or trailers-only header) carrying the numeric status code.</summary>
    public const string StatusHeader = "grpc-status";
    /// <summary>Trailer carrying the percent-encoded status message.</summary>
    public const string MessageHeader = "grpc-message";
    /// <summary>Request header carrying the call's timeout.</summary>
    public const string TimeoutHeader = "grpc-timeout";
    /// <summary>Header naming the compression of the messages this side sends.</summary>
    public const string EncodingHeader = "grpc-encoding";
    /// <summary>Header listing the compressions this side can read.</summary>
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    /// <summary>Compressions this implementation reads.</summary>
    public const string AcceptedEncodings = "identity,gzip";
    /// <summary>Request header carrying the internal P2P key (<c>cluster.p2p_api_key</c>).</summary>
    public const string ApiKeyHeader = "x-aspirevector-p2p-key";
    /// <summary>W3C trace context header.</summary>
    public const string TraceParentHeader = "traceparent";
    /// <summary>W3C trace state header.</summary>
    public const string TraceStateHeader = "tracestate";
    /// <summary>Length of the message prefix: 1 compressed-flag byte and a 4-byte big-endian length.</summary>
    public const int FrameHeaderSize = 5;
    /// <summary>Default largest message either side accepts (64 MiB: shard transfers carry large batches).</summary>
    public const int DefaultMaxMessageSize = 64 * 1024 * 1024;

    // grpc-timeout values are at most 8 digits; CancellationTokenSource.CancelAfter accepts up to ~49 days.
    private const long MaxTimeoutValue = 99_999_999;
    private static readonly TimeSpan MaxUsableTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>True when <paramref name="contentType"/> is <c>application/grpc</c> or <c>application/grpc+...</c>.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (contentType.Length == ContentType.Length)
        {
            return true;
        }

        char next = contentType[ContentType.Length];
        return next is '+' or ';';
    }

    /// <summary>Parses a <c>grpc-timeout</c> value (<c>1-8 digits</c> then one of <c>H M S m u n</c>).</summary>
    /// <returns>The timeout, clamped to what timers accept; null when the value is malformed.</returns>
    public static TimeSpan? ParseTimeout(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9)
        {
            return null;
        }

        ReadOnlySpan<char> digits = value.AsSpan(0, value.Length - 1);
        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
            {
                return null;
            }
        }

        long amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        TimeSpan timeout = value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromTicks(amount * 10),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => TimeSpan.MinValue,
        };
        if (timeout == TimeSpan.MinValue)
        {
            return null;
        }

        return timeout > MaxUsableTimeout ? MaxUsableTimeout : timeout;
    }

    /// <summary>Formats <paramref name="timeout"/> as a <c>grpc-timeout</c> value, rounding up to the finest unit that fits 8 digits.</summary>
    public static string FormatTimeout(TimeSpan timeout)
    {
        long ticks = Math.Max(timeout.Ticks, 0);
        if (ticks < TimeSpan.TicksPerMillisecond)
        {
            // Sub-millisecond budgets: microseconds, never 0 (0 would mean "already expired" to some peers).
            return Math.Max(1, (ticks + 9) / 10).ToString(CultureInfo.InvariantCulture) + "u";
        }

        long millis = CeilDiv(ticks, TimeSpan.TicksPerMillisecond);
        if (millis <= MaxTimeoutValue)
        {
            return millis.ToString(CultureInfo.InvariantCulture) + "m";
        }

        long seconds = CeilDiv(ticks, TimeSpan.TicksPerSecond);
        if (seconds <= MaxTimeoutValue)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "S";
        }

        long minutes = CeilDiv(ticks, TimeSpan.TicksPerMinute);
        if (minutes <= MaxTimeoutValue)
        {
            return minutes.ToString(CultureInfo.InvariantCulture) + "M";
        }

        return Math.Min(CeilDiv(ticks, TimeSpan.TicksPerHour), MaxTimeoutValue).ToString(CultureInfo.InvariantCulture) + "H";
    }

    /// <summary>Percent-encodes a status message as <c>grpc-message</c> requires (UTF-8, everything outside 0x20-0x7E and '%').</summary>
    public static string EncodeMessage(string message)
    {
        bool plain = true;
        foreach (char c in message)
        {
            if (c is < ' ' or > '~' or '%')
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return message;
        }

        var builder = new StringBuilder(message.Length + 16);
        foreach (byte b in Encoding.UTF8.GetBytes(message))
        {
            if (b is < 0x20 or > 0x7E or (byte)'%')
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append((char)b);
            }
        }

        return builder.ToString();
    }

    /// <summary>Decodes a percent-encoded <c>grpc-message</c>; malformed escapes are kept verbatim, as the spec asks.</summary>
    public static string DecodeMessage(string? value)
    {
        if (string.IsNullOrEmpty(value) || !value.Contains('%', StringComparison.Ordinal))
        {
            return value ?? string.Empty;
        }

        var bytes = new List<byte>(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '%' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte decoded))
            {
                bytes.Add(decoded);
                i += 2;
            }
            else
            {
                AppendUtf8(bytes, value, ref i);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Maps a non-200 HTTP status of a gRPC response to a gRPC status, as the gRPC spec prescribes.</summary>
    public static GrpcStatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => GrpcStatusCode.Internal,
        401 => GrpcStatusCode.Unauthenticated,
        403 => GrpcStatusCode.PermissionDenied,
        404 => GrpcStatusCode.Unimplemented,
        429 or 502 or 503 or 504 => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };

    private static void AppendUtf8(List<byte> bytes, string value, ref int index)
    {
        // Keep surrogate pairs together so characters outside the BMP survive the round trip.
        int length = char.IsHighSurrogate(value[index]) && index + 1 < value.Length ? 2 : 1;
        bytes.AddRange(Encoding.UTF8.GetBytes(value.Substring(index, length)));
        index += length - 1;
    }

    private static long CeilDiv(long value, long divisor) => (value + divisor - 1) / divisor;
}
