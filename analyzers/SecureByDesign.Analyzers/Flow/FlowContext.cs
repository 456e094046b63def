using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What one analysis of one method needs from its surroundings: the options of its tree, the summaries
/// of the compilation's methods, and the budget.
/// </summary>
internal sealed class FlowContext
{
    /// <summary>Block visits one method (with its lambdas and local functions) may take before the engine gives up and reports nothing.</summary>
    public const int MaxBlockVisits = 4000;

    public FlowContext(TrustOptions options, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        Options = options;
        Summaries = summaries;
        CancellationToken = cancellationToken;
    }

    public TrustOptions Options { get; }

    public MethodSummaries Summaries { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// The compilation, for the few questions the operations of a control flow graph cannot answer (they have no semantic
    /// model): what a local was initialized with. Null in contexts made without one.
    /// </summary>
    public Compilation? Compilation { get; set; }

    /// <summary>Block visits left; the engine stops when it reaches zero.</summary>
    public int Budget { get; set; } = MaxBlockVisits;

    public static FlowContext For(OperationBlockAnalysisContext context, MethodSummaries summaries) =>
        new(TrustOptions.For(context.Options, context.OwningSymbol.Locations.FirstOrDefault()?.SourceTree ?? context.OperationBlocks[0].Syntax.SyntaxTree), summaries, context.CancellationToken)
        {
            Compilation = context.Compilation,
        };
}
