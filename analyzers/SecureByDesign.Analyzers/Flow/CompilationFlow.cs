using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The engine's work for one compilation, shared by every rule family: the method summaries, and each method's
/// solved states. Each family stays its own analyzer (so the compiler skips the disabled ones, which then never
/// register here); the first family to reach a method solves it once for every registered family, buffering each
/// family's diagnostics, and each family reports its own when its turn comes. A family that arrives after a method
/// was solved without it (it registered late, or the same compilation is analyzed again) solves the method alone.
/// Held in a table keyed by the compilation, not in analyzer fields, and let go with the compilation.
/// </summary>
internal sealed class CompilationFlow
{
    private static readonly ConditionalWeakTable<Compilation, CompilationFlow> Instances = new();

    private readonly ConcurrentDictionary<ISymbol, Solved> methods = new(SymbolEqualityComparer.Default);
    private ImmutableArray<FlowFamily> families = ImmutableArray<FlowFamily>.Empty;

    private CompilationFlow(Compilation compilation, AnalyzerOptions options)
    {
        Options = options;
        Summaries = new MethodSummaries(compilation, options);
    }

    public AnalyzerOptions Options { get; }

    public MethodSummaries Summaries { get; }

    /// <summary>The shared analysis of a compilation (a private one when another caller analyzes it with other options).</summary>
    public static CompilationFlow For(Compilation compilation, AnalyzerOptions options)
    {
        var shared = Instances.GetValue(compilation, c => new CompilationFlow(c, options));
        return ReferenceEquals(shared.Options.AnalyzerConfigOptionsProvider, options.AnalyzerConfigOptionsProvider) ? shared : new CompilationFlow(compilation, options);
    }

    /// <summary>The one way a rule family reaches the engine: from its compilation start action.</summary>
    public static void Register(CompilationStartAnalysisContext start, FlowFamily family)
    {
        var flow = For(start.Compilation, start.Options);
        ImmutableInterlocked.Update(ref flow.families, (list, f) => list.Contains(f) ? list : list.Add(f), family);
        start.RegisterOperationBlockAction(block => flow.Report(block, family));
    }

    private void Report(OperationBlockAnalysisContext block, FlowFamily family)
    {
        var solved = methods.GetOrAdd(block.OwningSymbol, _ => new Solved());
        List<Diagnostic>? mine = null;
        lock (solved)
        {
            solved.Pending ??= FlowDriver.Solve(block, Summaries, families);
            if (solved.Pending.TryGetValue(family, out mine))
            {
                solved.Pending.Remove(family);
                if (solved.Pending.Count == 0)
                {
                    methods.TryRemove(block.OwningSymbol, out _);
                }
            }
        }

        mine ??= FlowDriver.Solve(block, Summaries, ImmutableArray.Create(family))[family];
        foreach (var diagnostic in mine)
        {
            block.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>A method's diagnostics per family, until each family has taken its own.</summary>
    private sealed class Solved
    {
        public Dictionary<FlowFamily, List<Diagnostic>>? Pending { get; set; }
    }
}
