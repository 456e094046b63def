using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SecureByDesign.Tool.Scanning;

namespace SecureByDesign.Benchmarks;

/// <summary>
/// All SecureByDesign analyzers over generated parser code of 10k, 100k and 1M lines. The compilation is bound
/// once in setup, so a run measures the analyzers (and the operation trees and graphs they ask for).
/// Divide the mean by Lines / 1000 for the time per 1,000 lines; it should stay flat as the size grows.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private Compilation compilation = null!;
    private ImmutableArray<DiagnosticAnalyzer> analyzers;

    [Params(10_000, 100_000, 1_000_000)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var references = FrameworkReferences.Locate(aspNetCore: false).Assemblies.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
        var tree = CSharpSyntaxTree.ParseText(ParserCorpus.Generate(Lines), path: "Records.cs");
        compilation = CSharpCompilation.Create("Corpus", [tree], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _ = compilation.GetDiagnostics();
        analyzers = ShippedAnalyzers.Create();
    }

    [Benchmark]
    public int AllAnalyzers()
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, _, _) => throw exception,
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        return compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;
    }
}
