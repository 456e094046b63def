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
internal static class FlowDriver
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
            var timed = EngineEvents.Start() != 0;
            var callbacks = timed ? new long[inspectors.Length] : null;
            started = EngineEvents.Start();
            Run(graph, Entry(context.OwningSymbol), flow, (operation, state) =>
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

    /// <summary>
    /// The prefilter, one walk for every family: the families that need something in this body, among those for which
    /// the body touches untrusted data (a source call, an untrusted parameter or member, a call whose summary returns
    /// untrusted data) or has what the family finds interesting anyway.
    /// </summary>
    private static List<FlowFamily> Interested(IOperation block, ImmutableArray<FlowFamily> families, FlowContext context)
    {
        // First what each family looks at: syntax and symbols only, no summaries.
        var needed = new List<FlowFamily>();
        var waiting = families.Where(f => f.Needs is not null).ToList();
        needed.AddRange(families.Where(f => f.Needs is null));
        foreach (var operation in block.Descendants())
        {
            if (waiting.Count == 0)
            {
                break;
            }

            context.CancellationToken.ThrowIfCancellationRequested();
            for (var i = waiting.Count - 1; i >= 0; i--)
            {
                if (waiting[i].Needs!(operation))
                {
                    needed.Add(waiting[i]);
                    waiting.RemoveAt(i);
                }
            }
        }

        if (needed.Count == 0)
        {
            return needed;
        }

        // Then whether anything untrusted is in sight, or what a family finds interesting anyway: first what the symbols
        // say, and only then the summaries of the methods called, which may have to read their bodies.
        var active = new List<FlowFamily>();
        foreach (var cheap in new[] { true, false })
        {
            foreach (var operation in block.Descendants())
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (cheap ? TouchesUntrusted(operation, context) : ReturnsUntrusted(operation, context))
                {
                    active.AddRange(needed);
                    needed.Clear();
                }

                for (var i = needed.Count - 1; cheap && i >= 0; i--)
                {
                    if (needed[i].AlsoInteresting?.Invoke(operation) == true)
                    {
                        active.Add(needed[i]);
                        needed.RemoveAt(i);
                    }
                }

                if (needed.Count == 0)
                {
                    break;
                }
            }
        }

        return families.Where(active.Contains).ToList();
    }

    private static bool TouchesUntrusted(IOperation operation, FlowContext context) => operation switch
    {
        IInvocationOperation invocation => TaintSources.Origin(invocation, context.Trust, context.Options, context.CancellationToken) is not null,
        IParameterReferenceOperation parameter => Annotations.IsUntrustedParameter(parameter.Parameter),
        IFieldReferenceOperation field => Annotations.Has(field.Field, Annotations.UntrustedContent)
            || (field.Instance is IInstanceReferenceOperation && context.Summaries.Fields.Of(field.Field, context.CancellationToken) is not null)
            || TaintSources.FieldOrigin(field, context.Trust) is not null,
        IPropertyReferenceOperation property => Annotations.Has(property.Property, Annotations.UntrustedContent) || TaintSources.PropertyOrigin(property, context.Trust, context.Options) is not null,
        _ => false,
    };

    private static bool ReturnsUntrusted(IOperation operation, FlowContext context) =>
        operation is IInvocationOperation invocation && context.Summaries.Get(invocation.TargetMethod, context.CancellationToken)?.ReturnOrigin is not null;

    private static FlowState Entry(ISymbol owner)
    {
        var state = FlowState.Empty;
        if (owner is IMethodSymbol method)
        {
            foreach (var parameter in method.Parameters.Where(Annotations.IsUntrustedParameter))
            {
                state = state.Assign(parameter, Evaluator.ParameterSource(parameter));
            }
        }

        return state;
    }
}
