using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// How a rule uses the engine: per method body, a cheap prefilter first (does the method touch untrusted
/// data at all?), and only then a control flow graph and the analysis. Most methods never get a graph.
/// </summary>
internal static class FlowDriver
{
    public static void Analyze(
        OperationBlockAnalysisContext context,
        MethodSummaries summaries,
        Func<IOperation, bool> alsoInteresting,
        Action<IOperation, FlowState, FlowContext> inspect,
        Func<IOperation, bool>? needs = null)
    {
        var flow = FlowContext.For(context, summaries);
        foreach (var block in context.OperationBlocks)
        {
            // The compiler hands over the body block; its parent, when there is one, is the method body.
            var isBody = block is IMethodBodyOperation or IConstructorBodyOperation
                || (block is IBlockOperation && block.Parent is null or IMethodBodyOperation or IConstructorBodyOperation);
            // A rule that looks only at some operations (a file write, a cast to an enum) skips bodies without one.
            if (!isBody || (needs is not null && !block.Descendants().Any(needs)) || !MayTouchUntrusted(block, flow, alsoInteresting))
            {
                continue;
            }

            var graph = context.GetControlFlowGraph(block);
            FlowEngine.Run(graph, Entry(context.OwningSymbol), flow, (operation, state) => inspect(operation, state, flow));
        }
    }

    /// <summary>The prefilter: a source call, an untrusted parameter or member, a call whose summary returns untrusted data, or what the rule asks for.</summary>
    private static bool MayTouchUntrusted(IOperation block, FlowContext context, Func<IOperation, bool> alsoInteresting)
    {
        foreach (var operation in block.Descendants())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var interesting = operation switch
            {
                IInvocationOperation invocation => TaintSources.Origin(invocation, context.Options) is not null
                    || context.Summaries.Get(invocation.TargetMethod)?.ReturnOrigin is not null,
                IParameterReferenceOperation parameter => Annotations.IsUntrustedParameter(parameter.Parameter),
                IFieldReferenceOperation field => Annotations.Has(field.Field, Annotations.UntrustedContent),
                IPropertyReferenceOperation property => Annotations.Has(property.Property, Annotations.UntrustedContent) || TaintSources.PropertyOrigin(property) is not null,
                _ => false,
            };
            if (interesting || alsoInteresting(operation))
            {
                return true;
            }
        }

        return false;
    }

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
