using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The engine's one entry: per method body, a cheap prefilter first (does the method touch untrusted data, and does it
/// have what some family looks at?), and only then a control flow graph, solved once, with every interested family's
/// callback at each operation. Most methods never get a graph.
/// </summary>
internal static partial class FlowDriver
{
    /// <summary>Solves a method for the given families and returns each family's diagnostics.</summary>
    public static Dictionary<FlowFamily, List<Diagnostic>> Solve(OperationBlockAnalysisContext context, MethodSummaries summaries, ImmutableArray<FlowFamily> families)
    {
        var found = families.ToDictionary(f => f, _ => new List<Diagnostic>());
        var flow = FlowContext.For(context, summaries);
        foreach (var block in context.OperationBlocks)
        {
            // The compiler hands over the body block; its parent, when there is one, is the method body.
            var isBody = block is IMethodBodyOperation or IConstructorBodyOperation
                || (block is IBlockOperation && block.Parent is null or IMethodBodyOperation or IConstructorBodyOperation);
            if (!isBody)
            {
                continue;
            }

            var started = EngineEvents.Start();
            var active = Interested(block, families, flow);
            EngineEvents.Stop(EngineEvents.Engine, "prefilter", started);
            if (active.Count == 0)
            {
                continue;
            }

            started = EngineEvents.Start();
            var graph = context.GetControlFlowGraph(block);
            EngineEvents.Stop(EngineEvents.Engine, "graph", started);

            var inspectors = active.Select(f => f.Inspector(found[f].Add)).ToArray();
            flow.RelatesTests = active.Any(f => f.RelatesTests);
            var timed = EngineEvents.Start() != 0;
            var callbacks = timed ? new long[inspectors.Length] : null;
            started = EngineEvents.Start();
            Run(graph, Entry(context.OwningSymbol, flow), flow, (operation, state) =>
            {
                for (var i = 0; i < inspectors.Length; i++)
                {
                    var before = callbacks is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
                    inspectors[i](operation, state, flow);
                    if (callbacks is not null)
                    {
                        callbacks[i] += System.Diagnostics.Stopwatch.GetTimestamp() - before;
                    }
                }
            });
            if (callbacks is not null)
            {
                EngineEvents.Stop(EngineEvents.Engine, "solve", started + callbacks.Sum());
                for (var i = 0; i < active.Count; i++)
                {
                    EngineEvents.Log.Phase(active[i].Name, "callbacks", callbacks[i]);
                }
            }
        }

        return found;
    }

    /// <summary>Runs the engine over a body outside an analyzer's block action (a helper's body, for a fact about it).</summary>
    public static bool Run(IMethodBodyOperation body, FlowState entry, FlowContext context, Action<IOperation, FlowState> inspect) =>
        Run(ControlFlowGraph.Create(body, context.CancellationToken), entry, context, inspect);

    private static bool Run(ControlFlowGraph graph, FlowState entry, FlowContext context, Action<IOperation, FlowState> inspect) =>
        FlowEngine.Run(graph, entry, context, inspect);

    private static FlowState Entry(ISymbol owner, FlowContext context)
    {
        var state = FlowState.Empty;
        if (owner is IMethodSymbol method)
        {
            foreach (var parameter in method.Parameters.Where(Annotations.IsUntrustedParameter))
            {
                state = state.Assign(parameter, Evaluator.ParameterSource(parameter));
            }

            // A parsed document the compilation's callers hand this method (DocumentParameters).
            foreach (var parameter in method.Parameters)
            {
                if (!Annotations.IsUntrustedParameter(parameter) && context.Summaries.Documents.Of(parameter, context.CancellationToken) is { } document)
                {
                    state = state.Assign(parameter, document);
                }
            }

            // Read(byte[] buffer, int offset, int count): the room the caller hands over.
            state = CallerRanges.Promised(method, state);

            // A private method called only after tests of its arguments: what they found holds here.
            if (context.RelatesTests && context.Compilation is { } compilation && CallerTests.Of(method, compilation, context.CancellationToken) is { } cases)
            {
                state = Truths.Entered(cases, state);
            }
        }

        return state;
    }
}
