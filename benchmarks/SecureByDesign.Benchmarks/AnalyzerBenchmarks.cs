using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SecureByDesign.Tool.Scanning;

namespace SecureByDesign.Benchmarks;

/// <summary>
/// All SecureByDesign analyzers over generated parser code of 10k, 100k and 1M lines, in files of about 1,000 lines
/// (<see cref="ParserCorpus.GenerateFiles"/>). The compilation is bound once in setup, so a run measures the analyzers (and the operation trees and graphs they ask for).
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
        compilation = Compile(ParserCorpus.GenerateFiles(Lines));
        analyzers = ShippedAnalyzers.Create();
    }

    [Benchmark]
    public int AllAnalyzers() => Analyze(compilation, analyzers);

    /// <summary>The source compiled against the framework's reference assemblies (as sbd scan finds them), and bound once.</summary>
    internal static Compilation Compile(string source) => Compile([("Records.cs", source)]);

    /// <summary>The files compiled against the framework's reference assemblies (as sbd scan finds them), and bound once.</summary>
    internal static Compilation Compile(IReadOnlyList<(string Name, string Text)> files)
    {
        var references = FrameworkReferences.Locate(aspNetCore: false).Assemblies
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
        var trees = files.Select(file => CSharpSyntaxTree.ParseText(file.Text, path: file.Name));
        var compilation = CSharpCompilation.Create("Corpus", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _ = compilation.GetDiagnostics();
        return compilation;
    }

    /// <summary>The analyzers' diagnostics over the compilation; an analyzer that throws fails the run.</summary>
    internal static int Analyze(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, _, _) => throw exception,
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        return compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;
    }
}
