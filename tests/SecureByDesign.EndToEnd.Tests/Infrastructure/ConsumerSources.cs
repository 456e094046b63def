namespace SecureByDesign.EndToEnd.Tests.Infrastructure;

/// <summary>Small consumer sources with known findings, and where those findings are.</summary>
public static class ConsumerSources
{
    /// <summary>An http:// download (SBD3006) and a regex that can backtrack badly over its input, with no timeout (SBD1005).</summary>
    public const string Updater = """
        using System.Text.RegularExpressions;

        namespace Consumer;

        public static class Updater
        {
            public static Task<string> FetchManifestAsync(HttpClient client) =>
                client.GetStringAsync("http://updates.example.com/manifest.json");

            public static bool IsRuleLine(string line) =>
                Regex.IsMatch(line, "^([a-z]+ ?)*$");
        }
        """;

    /// <summary>The 1-based line of the first line of <paramref name="source"/> that contains <paramref name="text"/>.</summary>
    public static int LineOf(string source, string text)
    {
        var lines = source.ReplaceLineEndings("\n").Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        return index >= 0 ? index + 1 : throw new ArgumentException($"'{text}' is not in the source.", nameof(text));
    }
}
