using System.Text;

namespace SecureByDesign.Analyzers.Tests.Meta;

/// <summary>
/// The README rule table and the first line of every docs/rules page come from the descriptors. This test
/// fails when they are stale; run it with SBD_UPDATE_DOCS=1 to rewrite them.
/// </summary>
public class GeneratedDocsTests
{
    private const string Begin = "<!-- rules -->";
    private const string End = "<!-- /rules -->";

    private static bool Update => Environment.GetEnvironmentVariable("SBD_UPDATE_DOCS") == "1";

    [Theory]
    [InlineData("README.md", "docs/rules/")]
    [InlineData("docs/rules/README.md", "")]
    public void RuleTable_MatchesTheDescriptors(string file, string linkPrefix)
    {
        var path = Path.Combine(Catalog.RepositoryRoot, file);
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{file} has no {Begin} ... {End} block");

        var expected = text.Substring(0, start + Begin.Length) + "\n" + RuleTable(linkPrefix) + text.Substring(end);
        if (Update)
        {
            File.WriteAllText(path, expected);
            return;
        }

        Assert.True(expected == text, $"The rule table of {file} is stale: run SBD_UPDATE_DOCS=1 dotnet test --filter GeneratedDocsTests");
    }

    [Fact]
    public void DocsPageTitles_MatchTheDescriptors()
    {
        foreach (var descriptor in Catalog.Descriptors)
        {
            var path = Path.Combine(Catalog.RepositoryRoot, "docs", "rules", descriptor.Id + ".md");
            Assert.True(File.Exists(path), $"docs/rules/{descriptor.Id}.md is missing");
            var lines = File.ReadAllLines(path);
            var title = $"# {descriptor.Id}: {descriptor.Title}";
            if (Update && lines[0] != title)
            {
                lines[0] = title;
                File.WriteAllLines(path, lines);
            }

            Assert.True(title == lines[0], $"docs/rules/{descriptor.Id}.md: first line should be '{title}' (SBD_UPDATE_DOCS=1 rewrites it)");
        }
    }

    private static string RuleTable(string linkPrefix)
    {
        var table = new StringBuilder();
        table.Append("| Id | Category | Default | Title | Code fix |\n");
        table.Append("| --- | --- | --- | --- | --- |\n");
        foreach (var descriptor in Catalog.Descriptors)
        {
            table.Append($"| [{descriptor.Id}]({linkPrefix}{descriptor.Id}.md) | {descriptor.Category} | {descriptor.DefaultSeverity} | {descriptor.Title} | {(Catalog.FixableIds.Contains(descriptor.Id) ? "yes" : "no")} |\n");
        }

        return table.ToString();
    }
}
