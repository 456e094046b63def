using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace SecureByDesign.Analyzers.Tests;

/// <summary>Compiles source against the .NET 8 reference assemblies and runs analyzers on it directly, outside the test harness.</summary>
internal static class Compilations
{
    private static ImmutableArray<MetadataReference>? references;

    public static async Task<CSharpCompilation> CreateAsync(params string[] sources)
    {
        if (references is null)
        {
            await ReferencePackages.EnsureAsync(ReferenceAssemblies.Net.Net80);
            references = await ReferenceAssemblies.Net.Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        }

        return CSharpCompilation.Create(
            "Probe",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"Source{i}.cs")),
            references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
    }

    /// <summary>Compiles files with the given paths, in the given order (the order a sequential analysis meets them in).</summary>
    public static async Task<CSharpCompilation> CreateAsync(params (string Path, string Source)[] files)
    {
        var compilation = await CreateAsync(Array.Empty<string>());
        return compilation.AddSyntaxTrees(files.Select(f => CSharpSyntaxTree.ParseText(f.Source, new CSharpParseOptions(LanguageVersion.Latest), path: f.Path)));
    }

    /// <summary>Runs the analyzers and returns their diagnostics and every exception any of them threw.</summary>
    public static Task<(ImmutableArray<Diagnostic> Diagnostics, List<Exception> Exceptions)> AnalyzeAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers) =>
        AnalyzeAsync(compilation, analyzers, null, concurrent: true);

    /// <summary>The same, with per-tree options, concurrently (as builds run analyzers) or not.</summary>
    public static async Task<(ImmutableArray<Diagnostic> Diagnostics, List<Exception> Exceptions)> AnalyzeAsync(
        Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerConfigOptionsProvider? treeOptions, bool concurrent)
    {
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            treeOptions is null ? new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty) : new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, treeOptions),
            (exception, analyzer, diagnostic) =>
            {
                lock (exceptions)
                {
                    exceptions.Add(exception);
                }
            },
            concurrentAnalysis: concurrent,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        return (diagnostics, exceptions);
    }
}
