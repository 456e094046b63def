using System.Text;

namespace SecureByDesign.Analyzers.Tests.Meta;

/// <summary>
/// The README's table of every rule and gate code, the rule table of docs/rules and the first line of every
/// docs/rules page come from the descriptors, and the README's gate rows from the table of docs/gates/README.md. This
/// test fails when they are stale; run it with SBD_UPDATE_DOCS=1 to rewrite them.
/// </summary>
public class GeneratedDocsTests
{
    private const string Begin = "<!-- rules -->";
    private const string End = "<!-- /rules -->";

    private static bool Update => Environment.GetEnvironmentVariable("SBD_UPDATE_DOCS") == "1";

    [Theory]
    [InlineData("README.md", "docs/rules/", "docs/gates/")]
    [InlineData("docs/rules/README.md", "", null)]
    public void RuleTable_MatchesTheDescriptors(string file, string linkPrefix, string? gateLinkPrefix)
    {
        var path = Path.Combine(Catalog.RepositoryRoot, file);
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{file} has no {Begin} ... {End} block");

        var table = RuleTable(linkPrefix) + (gateLinkPrefix is null ? string.Empty : GateRows(gateLinkPrefix));
        var expected = text.Substring(0, start + Begin.Length) + "\n" + table + text.Substring(end);
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

    /// <summary>
    /// One row per gate code, in the order and with the title of the table in docs/gates/README.md; its last column
    /// (the library codes, or "(resilience)", "(configuration)", "(resilience configuration)") gives the gate.
    /// </summary>
    private static string GateRows(string linkPrefix)
    {
        var rows = new StringBuilder();
        var index = File.ReadAllLines(Path.Combine(Catalog.RepositoryRoot, "docs", "gates", "README.md"));
        foreach (var line in index.Where(l => l.StartsWith("| [SBD", StringComparison.Ordinal)))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var code = cells[0].Substring(1, cells[0].IndexOf(']') - 1);
            var gate = cells[2] switch
            {
                "(resilience)" => "Resilience gate",
                "(resilience configuration)" => "Resilience gate setup",
                "(configuration)" => "Content gate setup",
                _ => "Content gate",
            };
            rows.Append($"| [{code}]({linkPrefix}{code}.md) | {gate} | Error | {cells[1]} | - |\n");
        }

        var listed = index.Where(l => l.StartsWith("| [SBD", StringComparison.Ordinal)).Select(l => l.Substring(3, 7)).Order();
        var pages = Directory.GetFiles(Path.Combine(Catalog.RepositoryRoot, "docs", "gates"), "SBD*.md").Select(Path.GetFileNameWithoutExtension).Order();
        Assert.Equal(pages, listed);
        return rows.ToString();
    }
}
