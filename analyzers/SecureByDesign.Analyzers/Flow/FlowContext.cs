using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What one analysis of one method needs from its surroundings: the options of its tree, the summaries
/// of the compilation's methods, and the budget.
/// </summary>
internal sealed class FlowContext
{
    /// <summary>
    /// The budget of one method (with its lambdas and local functions): a block visit costs one unit (more with a large
    /// state), each edge followed one; when it runs out the engine gives up and reports nothing for the method.
    /// </summary>
    public const int MaxBlockVisits = 4000;

    public FlowContext(TrustOptions options, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        Options = options;
        Summaries = summaries;
        CancellationToken = cancellationToken;
    }

    public TrustOptions Options { get; }

    public MethodSummaries Summaries { get; }

    /// <summary>The trust model's catalog, resolved for the compilation.</summary>
    public TrustModel Trust => Summaries.Trust;

    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// The semantic model of the analyzed method's tree, for the few questions the graph's operations cannot answer
    /// (what a local was initialized with). Null when there is none.
    /// </summary>
    public SemanticModel? Model { get; init; }

    /// <summary>
    /// The compilation, for the few questions the operations of a control flow graph cannot answer (they have no semantic
    /// model): what a local was initialized with. Null in contexts made without one.
    /// </summary>
    public Compilation? Compilation { get; set; }

    /// <summary>Whether the engine records the truth of tests to relate them (<see cref="Truths"/>): only for a family that needs it.</summary>
    public bool RelatesTests { get; set; }

    /// <summary>
    /// Whether calls of the compilation's methods leave nothing in the type's fields (<see cref="FieldEffects"/>) or
    /// out arguments (<see cref="OutValues"/>): while reading such a method alone.
    /// </summary>
    public bool WithoutFieldEffects { get; init; }

    /// <summary>Block visits left; the engine stops when it reaches zero.</summary>
    public int Budget { get; set; } = MaxBlockVisits;

    /// <summary>How each loop of the method uses a variable, for <see cref="LoopCounters"/>: read from syntax once.</summary>
    internal Dictionary<(SyntaxNode Loop, ISymbol Variable), LoopCounters.Uses> LoopUses { get; } = new(LoopKeyComparer.Instance);

    /// <summary>The local arrays each member creates with one size (<see cref="LocalBuffers.SizedBy"/>): read from syntax once.</summary>
    internal Dictionary<SyntaxNode, List<LocalBuffers.SizedLocal>> SizedLocals { get; } = new();

    private sealed class LoopKeyComparer : IEqualityComparer<(SyntaxNode Loop, ISymbol Variable)>
    {
        public static readonly LoopKeyComparer Instance = new();

        public bool Equals((SyntaxNode Loop, ISymbol Variable) x, (SyntaxNode Loop, ISymbol Variable) y) =>
            x.Loop == y.Loop && SymbolEqualityComparer.Default.Equals(x.Variable, y.Variable);

        public int GetHashCode((SyntaxNode Loop, ISymbol Variable) key) => key.Loop.GetHashCode() ^ SymbolEqualityComparer.Default.GetHashCode(key.Variable);
    }

    /// <summary>What each flow capture of the graphs analyzed so far holds, when it captures a tracked value (the subject of a switch).</summary>
    private readonly Dictionary<CaptureId, IOperation> captures = new();

    /// <summary>Remembers the captures of a graph whose value is tracked storage: a check of the capture is a check of it.</summary>
    public void AddCaptures(ControlFlowGraph graph)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                if (operation is IFlowCaptureOperation capture && FlowKey.Of(capture.Value) is { } key && key is not CaptureId)
                {
                    captures[capture.Id] = capture.Value;
                }
            }
        }
    }

    /// <summary>The tracked operation a capture holds, or the operation itself.</summary>
    public IOperation Resolve(IOperation operation) =>
        operation is IFlowCaptureReferenceOperation reference && captures.TryGetValue(reference.Id, out var captured) ? captured : operation;

    public static FlowContext For(OperationBlockAnalysisContext context, MethodSummaries summaries) =>
        new(TrustOptions.For(context.Options, context.OwningSymbol.Locations.FirstOrDefault()?.SourceTree ?? context.OperationBlocks[0].Syntax.SyntaxTree), summaries, context.CancellationToken)
        {
            Model = context.OperationBlocks.FirstOrDefault()?.SemanticModel,
            Compilation = context.Compilation,
        };
}
