using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What the engine knows of the variable of a <c>foreach</c> over a chain of <c>Enumerable.Select</c> and
/// <c>Enumerable.Where</c> with lambdas: each element is what the last <c>Select</c>'s lambda returns (<c>c =&gt;
/// c.Split('=')</c> gives a record with at least one field), and where a <c>Where</c>'s predicate holds (<c>p =&gt;
/// p.Length == 2</c>), as a condition on the element. Only <c>System.Linq.Enumerable</c> over <c>IEnumerable&lt;T&gt;</c>,
/// lambdas of one parameter; anything else keeps what the engine knew before (an element as untrusted as the collection).
/// </summary>
internal static class Sequences
{
    private const int MaxChain = 16;

    /// <summary><c>foreach (var parts in values.Select(c =&gt; c.Split('=')))</c>: the variable was just assigned the enumerator's Current.</summary>
    public static FlowState Iterated(object variable, ISimpleAssignmentOperation assignment, FlowState state, FlowContext context)
    {
        if (assignment.Value.WalkDownConversions() is not IPropertyReferenceOperation { Property.Name: "Current", IsImplicit: true }
            || assignment.Syntax.FirstAncestorOrSelf<ForEachStatementSyntax>() is not { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Select" or "Where" } } } loop
            || context.Model is not { } model || model.SyntaxTree != loop.SyntaxTree
            || model.GetOperation(loop, context.CancellationToken) is not IForEachLoopOperation forEach
            || Link(forEach.Collection) is null)
        {
            return state;
        }

        var known = state[variable] ?? ValueFact.Unknown;

        // The facts are worked out in a state of their own: the lambdas' parameters are no keys of the method's.
        var bound = Bind(forEach.Collection, variable, state.Freeze(), context, 0);
        if (bound[variable] is not { } element)
        {
            return state;
        }

        // The lambdas are read for shape, not for trust: an element stays as untrusted as the collection made it.
        element = known.Untrusted && !element.Untrusted ? element.TaintedLike(known) : element;
        state = state.Assign(variable, Evaluator.Typed(element, assignment.Target.Type));
        foreach (var entry in bound.Facts)
        {
            if (entry.Key is FlowKey.MemberKey member && FlowKey.Comparer.Equals(member.Owner, variable))
            {
                state = state.Refine(member, entry.Value);
            }
        }

        return state;
    }

    /// <summary>The state with <paramref name="target"/> holding an element of <paramref name="sequence"/>, and the facts on it the chain proves.</summary>
    private static FlowState Bind(IOperation sequence, object target, FlowState state, FlowContext context, int depth)
    {
        if (depth < MaxChain && Link(sequence) is { } link)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var (source, where, parameter, returned) = link;
            state = Bind(source, parameter, state, context, depth + 1);
            if (where)
            {
                return Move(parameter, target, Conditions.Refine(returned, true, state, context));
            }

            // p => p: the element keeps what was proved of it; otherwise it is what the lambda returns.
            return FlowKey.Of(returned) is { } kept && FlowKey.Comparer.Equals(kept, parameter)
                ? Move(parameter, target, state)
                : state.Assign(target, Evaluator.Eval(returned, state, context));
        }

        // The start of the chain: an element as untrusted as the collection.
        return state.Assign(target, ValueFact.Unknown.TaintedLike(Evaluator.Eval(sequence, state, context)));
    }

    /// <summary><c>source.Select(c =&gt; ...)</c> or <c>source.Where(p =&gt; ...)</c> of System.Linq.Enumerable with a lambda of one parameter.</summary>
    private static (IOperation Source, bool Where, IParameterSymbol Parameter, IOperation Returned)? Link(IOperation sequence) =>
        sequence.WalkDownConversions() is IInvocationOperation { TargetMethod: { Name: "Select" or "Where", ContainingType: { Name: "Enumerable", ContainingNamespace: { Name: "Linq", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } method, Arguments.Length: 2 } call
            && Lambda(call.Arguments[1].Value) is { } lambda
            ? (call.Arguments[0].Value, method.Name == "Where", lambda.Parameter, lambda.Returned)
            : null;

    /// <summary>The facts of <paramref name="from"/> and of its Length or Count, now held by <paramref name="to"/>.</summary>
    private static FlowState Move(IParameterSymbol from, object to, FlowState state)
    {
        var moved = state.Assign(to, state[from] ?? ValueFact.Unknown);
        foreach (var entry in state.Facts)
        {
            if (entry.Key is FlowKey.MemberKey member && FlowKey.Comparer.Equals(member.Owner, from))
            {
                moved = moved.Refine(new FlowKey.MemberKey(to, member.Field), entry.Value);
            }
        }

        return moved;
    }

    /// <summary><c>c =&gt; c.Split('=')</c> (or a block that only returns): its one parameter and the expression it returns.</summary>
    private static (IParameterSymbol Parameter, IOperation Returned)? Lambda(IOperation argument) =>
        argument.WalkDownConversions() is IDelegateCreationOperation { Target: IAnonymousFunctionOperation { Symbol.Parameters: { Length: 1 } parameters, Body.Operations: { Length: 1 } body } }
            && body[0] is IReturnOperation { ReturnedValue: { } returned }
            ? (parameters[0], returned)
            : null;
}
