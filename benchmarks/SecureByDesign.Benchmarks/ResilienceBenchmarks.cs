using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SecureByDesign.Analyzers;

namespace SecureByDesign.Benchmarks;

/// <summary>
/// SBD4001/SBD4002 alone, over the parser corpus plus entry points: for every tenth parser method a thread callback
/// that opens a file and calls it (the walk follows the call into the parser to find its reads), half of them under a
/// rejecting handler, and a catch that ends the process. The rule runs on every method, so its time per 1,000 lines
/// should stay flat and small next to the engine's.
/// </summary>
[MemoryDiagnoser]
public class ResilienceBenchmarks
{
    private Compilation compilation = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup() => compilation = AnalyzerBenchmarks.Compile(ParserCorpus.Generate(Lines) + Entries(Lines / ParserCorpus.LinesPerMethod));

    [Benchmark]
    public int ResilienceAnalyzer() => AnalyzerBenchmarks.Analyze(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new ResilienceAnalyzer()));

    private static string Entries(int methods)
    {
        var source = new StringBuilder();
        source.AppendLine("public static class Entries {");
        source.AppendLine("    static int last;");
        for (var i = 0; i < methods; i += 10)
        {
            var call = $"last = Records.Read{i}(new BinaryReader(File.OpenRead(path)), new byte[16]);";
            source.AppendLine($"    public static void Start{i}(string path) {{");
            source.AppendLine(i % 20 == 0
                ? $"        new System.Threading.Thread(() => {{ {call} }}).Start();"
                : $"        new System.Threading.Thread(() => {{ try {{ {call} }} catch (Exception) {{ }} }}).Start();");
            source.AppendLine($"        try {{ {call} }} catch (IOException) {{ Environment.Exit(1); }}");
            source.AppendLine("    }");
        }

        source.AppendLine("}");
        return source.ToString();
    }
}
