using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace SecureByDesign.Analyzers.Tests.Meta;

/// <summary>Checks over every exported analyzer, descriptor and fixer, so a new rule cannot skip its docs, release entry or tests.</summary>
public class CatalogTests
{
    public static TheoryData<string> Ids => new(Catalog.Descriptors.Select(d => d.Id));

    [Fact]
    public void Descriptors_AreTheOnesInTheTable_AndUnique()
    {
        Assert.Equal(
            SecureByDesign.Analyzers.Descriptors.All.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal),
            Catalog.Descriptors.Select(d => d.Id));
        Assert.Equal(Catalog.Descriptors.Length, Catalog.Descriptors.Select(d => d.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_HasIdInItsCategoryRange_HelpLinkAndDescription(string id)
    {
        var descriptor = Catalog.Descriptors.Single(d => d.Id == id);
        Assert.Matches(new Regex("^SBD[1-4][0-9]{3}$"), id);
        var expectedCategory = id[3] switch
        {
            '1' => "Parsing",
            '2' => "MemoryBounds",
            '3' => "UpdateValidation",
            _ => "Resilience",
        };
        Assert.Equal(expectedCategory, descriptor.Category);
        Assert.Equal(SecureByDesign.Analyzers.Descriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Equal(DiagnosticSeverity.Warning, descriptor.DefaultSeverity);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_HasDocsPageTitledLikeIt(string id)
    {
        var descriptor = Catalog.Descriptors.Single(d => d.Id == id);
        var page = Path.Combine(Catalog.RepositoryRoot, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"docs/rules/{id}.md is missing");
        Assert.Equal($"# {id}: {descriptor.Title}", File.ReadLines(page).First());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_IsInTheReleaseTrackingFiles(string id)
    {
        var descriptor = Catalog.Descriptors.Single(d => d.Id == id);
        var folder = Path.Combine(Catalog.RepositoryRoot, "analyzers", "SecureByDesign.Analyzers");
        var rows = File.ReadAllLines(Path.Combine(folder, "AnalyzerReleases.Shipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(folder, "AnalyzerReleases.Unshipped.md")))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .Where(cells => cells.Length >= 3 && cells[0] == id)
            .ToList();
        var row = Assert.Single(rows);
        Assert.Equal(descriptor.Category, row[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row[2]);
    }

    [Fact]
    public async Task EmptySource_HasNoDiagnostics()
    {
        var compilation = await Compilations.CreateAsync(string.Empty);
        var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers);
        Assert.Empty(diagnostics);
        Assert.Empty(exceptions);
    }

    [Fact]
    public void Fixers_AreExportedUnderTheirTypeName_ForKnownIds()
    {
        Assert.NotEmpty(Catalog.Fixers);
        var knownIds = Catalog.Descriptors.Select(d => d.Id).ToHashSet();
        foreach (var fixer in Catalog.Fixers)
        {
            var type = fixer.GetType();
            Assert.Equal(type.Name, type.GetCustomAttribute<ExportCodeFixProviderAttribute>()!.Name);
            // No [Shared]: it is System.Composition's, which Visual Studio 17.8 has only in 7.0 (HostCompatibilityTests).
            Assert.NotNull(fixer.GetFixAllProvider());
            Assert.All(fixer.FixableDiagnosticIds, id => Assert.Contains(id, knownIds));
        }
    }

    [Fact]
    public void EveryFixer_HasAFixTestAndAFixAllTest()
    {
        var testFiles = Directory.GetFiles(Path.Combine(Catalog.RepositoryRoot, "tests", "SecureByDesign.Analyzers.Tests", "Rules"), "*.cs")
            .Select(File.ReadAllText)
            .ToList();
        foreach (var fixer in Catalog.Fixers)
        {
            var name = fixer.GetType().FullName!;
            var tests = testFiles.Where(text => text.Contains(name, StringComparison.Ordinal)).ToList();
            Assert.True(tests.Any(t => t.Contains("VerifyCodeFixAsync", StringComparison.Ordinal) || t.Contains("FixedCode =", StringComparison.Ordinal)), $"{name} has no code fix test");
            Assert.True(tests.Any(t => t.Contains("VerifyFixAllAsync", StringComparison.Ordinal) || t.Contains("NumberOfFixAllIterations", StringComparison.Ordinal)), $"{name} has no Fix All test");
        }
    }
}
