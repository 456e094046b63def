using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecureByDesign.Analyzers.Tests;

/// <summary>Analyzer options that differ per syntax tree, as per-folder .editorconfig files make them, for analyzers run outside the test harness.</summary>
internal sealed class TreeOptions : AnalyzerConfigOptionsProvider
{
    private readonly Dictionary<string, Options> byPath;

    public TreeOptions(Dictionary<string, Dictionary<string, string>> byPath) =>
        this.byPath = byPath.ToDictionary(p => p.Key, p => new Options(p.Value));

    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) =>
        byPath.TryGetValue(tree.FilePath, out var options) ? options : GlobalOptions;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
