using System.Globalization;

namespace AspireVector.Node.Filters;

/// <summary>
/// Parses datetimes as Qdrant accepts them in payloads and ranges: RFC 3339 (any offset, optional fraction),
/// the same with a space instead of <c>T</c> or an offset without colon, and — read as UTC — values without an
/// offset: <c>2024-01-02T03:04:05[.f]</c>, <c>2024-01-02 03:04:05[.f]</c>, <c>2024-01-02 03:04</c>, <c>2024-01-02</c>.
/// </summary>
public static class DatetimeParser
{
    private static readonly string[] WithOffset =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzz",
    ];

    private static readonly string[] WithoutOffset =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
    ];

    /// <summary>Parses <paramref name="text"/> into UTC ticks; false when it is not a datetime Qdrant accepts.</summary>
    public static bool TryParseUtcTicks(string text, out long utcTicks)
    {
        utcTicks = 0;
        if (text.Length < 10 || text.Length > 64) return false;
        var normalized = NormalizeOffset(NormalizeFraction(text));
        if (DateTimeOffset.TryParseExact(normalized, WithOffset, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto)
            && HasOffset(text))
        {
            utcTicks = dto.UtcTicks;
            return true;
        }
        if (DateTime.TryParseExact(normalized, WithoutOffset, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
        {
            utcTicks = dt.Ticks;
            return true;
        }
        return false;
    }

    private static bool HasOffset(string text)
    {
        var last = text[^1];
        if (last is 'Z' or 'z') return true;
        // An offset is a sign after the time part ("+01:00", "-0130").
        var t = text.IndexOfAny(['T', 't', ' '], 10);
        return t > 0 && text.IndexOfAny(['+', '-'], t) > 0;
    }

    // .NET's "FFFFFFF" takes at most 7 fraction digits; RFC 3339 allows any number, so nanoseconds are cut to ticks.
    private static string NormalizeFraction(string text)
    {
        var dot = text.IndexOf('.', 10);
        if (dot < 0) return text.Replace('t', 'T').Replace('z', 'Z');
        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        var digits = end - dot - 1;
        var result = digits > 7 ? string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end)) : text;
        return result.Replace('t', 'T').Replace('z', 'Z');
    }

    // Lower-case "z" handled above; "+0100" (no colon) is accepted by chrono's %#z, and by "zz" + digits here.
    private static string NormalizeOffset(string text)
    {
        if (text.Length < 5) return text;
        var sign = text.Length - 5;
        if ((text[sign] == '+' || text[sign] == '-') && IsDigits(text.AsSpan(sign + 1, 4)) && sign > 10)
            return string.Concat(text.AsSpan(0, sign + 3), ":", text.AsSpan(sign + 3));
        return text;
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
