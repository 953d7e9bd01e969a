using System.Text.RegularExpressions;

namespace AspireVector.Tests.Dashboard.Components;

/// <summary>Tiny HTML probes by <c>data-testid</c> (AngleSharp is not restorable here).</summary>
public static partial class Html
{
    /// <summary>The outer HTML of the element carrying <paramref name="testId"/>; fails when absent.</summary>
    public static string Element(string html, string testId)
    {
        var marker = $"data-testid=\"{testId}\"";
        var at = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"No element with data-testid=\"{testId}\".");
        var start = html.LastIndexOf('<', at);
        var tag = TagName().Match(html, start + 1).Value;
        var depth = 0;
        var position = start;
        while (true)
        {
            var open = html.IndexOf("<" + tag, position + 1, StringComparison.Ordinal);
            var close = html.IndexOf("</" + tag + ">", position + 1, StringComparison.Ordinal);
            if (close < 0)
            {
                return html[start..];
            }

            if (open >= 0 && open < close && IsTagBoundary(html, open + tag.Length + 1))
            {
                depth++;
                position = open;
                continue;
            }

            if (depth == 0)
            {
                return html[start..(close + tag.Length + 3)];
            }

            depth--;
            position = close;
        }
    }

    /// <summary>Value of <paramref name="attribute"/> on the element carrying <paramref name="testId"/>.</summary>
    public static string Attribute(string html, string testId, string attribute)
    {
        var element = Element(html, testId);
        var openTag = element[..(element.IndexOf('>') + 1)];
        var match = Regex.Match(openTag, $"{Regex.Escape(attribute)}=\"([^\"]*)\"");
        Assert.True(match.Success, $"No {attribute} on {testId}.");
        return match.Groups[1].Value;
    }

    /// <summary>Text content with tags removed and whitespace collapsed.</summary>
    public static string Text(string html) =>
        System.Net.WebUtility.HtmlDecode(Whitespace().Replace(Tags().Replace(html, " "), " ")).Trim();

    /// <summary>How many elements carry a test id starting with <paramref name="prefix"/>.</summary>
    public static int Count(string html, string prefix) =>
        Regex.Matches(html, $"data-testid=\"{Regex.Escape(prefix)}").Count;

    private static bool IsTagBoundary(string html, int index) => index < html.Length && (html[index] == ' ' || html[index] == '>');

    [GeneratedRegex("[a-zA-Z0-9]+")]
    private static partial Regex TagName();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
