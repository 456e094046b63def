using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>What null tests, patterns and dereferences prove about the null state.</summary>
internal static partial class NullStates
{
    /// <summary>What a condition says about null: <c>x is null</c>, <c>x == null</c>, <c>x != null</c>, and the tests <c>?.</c> and <c>??</c> compile to.</summary>
    public static bool IsNullTest(IOperation condition, out IOperation subject, out bool nullWhenTrue)
    {
        switch (condition)
        {
            case IIsNullOperation isNull:
                (subject, nullWhenTrue) = (isNull.Operand, true);
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary when IsNull(binary.RightOperand) || IsNull(binary.LeftOperand):
                (subject, nullWhenTrue) = (IsNull(binary.RightOperand) ? binary.LeftOperand : binary.RightOperand, binary.OperatorKind == BinaryOperatorKind.Equals);
                return true;
            default:
                subject = condition;
                nullWhenTrue = false;
                return false;
        }
    }

    /// <summary>Refines the subject of a null test on one branch: proven not null where the test says so.</summary>
    public static FlowState Refine(IOperation subject, bool isNull, FlowState state, FlowContext context) =>
        isNull ? state : MarkNotNull(subject, state, context);

    /// <summary>
    /// <c>x is null</c>, <c>x is { }</c>, <c>x is Rule</c>, <c>x is Rule r</c>: the value is not null where the pattern
    /// says so, and a declared variable holds it, proven not null.
    /// </summary>
    public static FlowState Pattern(IOperation value, IPatternOperation pattern, bool holds, FlowState state, FlowContext context)
    {
        switch (pattern)
        {
            case IConstantPatternOperation constant when IsNull(constant.Value):
                return holds ? state : MarkNotNull(value, state, context);
            case IRecursivePatternOperation or ITypePatternOperation or IDeclarationPatternOperation when holds:
                var declared = pattern switch
                {
                    IRecursivePatternOperation recursive => recursive.DeclaredSymbol,
                    IDeclarationPatternOperation declaration => declaration.DeclaredSymbol,
                    _ => null,
                };
                if (declared is ILocalSymbol local)
                {
                    var graph = Of(value, state, context);
                    if (pattern is IRecursivePatternOperation)
                    {
                        // "is { } loaded": loaded is the value (Conditions does this for "is Config loaded").
                        state = state.Assign(local, Evaluator.Eval(value, state, context));
                    }

                    if (graph is not null)
                    {
                        state = state.Refine(Key(local), graph.WithRange(1, 1));
                    }
                }

                state = MarkNotNull(value, state, context);
                return pattern is IRecursivePatternOperation members && (SourcePath(value, context) ?? PathOf(value)) is { } owner
                    ? Subpatterns(owner, members, state)
                    : state;
            default:
                return state;
        }
    }

    /// <summary><c>x is { Rules: not null, Name: { } }</c>: where the pattern holds, the members it tests for null are not null.</summary>
    private static FlowState Subpatterns(object owner, IRecursivePatternOperation pattern, FlowState state, int depth = 0)
    {
        foreach (var subpattern in pattern.PropertySubpatterns)
        {
            ISymbol? member = subpattern.Member switch
            {
                IPropertyReferenceOperation { Property.IsIndexer: false } property => property.Property,
                IFieldReferenceOperation field => field.Field,
                _ => null,
            };
            if (member is null || !ExcludesNull(subpattern.Pattern))
            {
                continue;
            }

            var path = new FlowKey.MemberKey(owner, member);
            state = MarkPath(path, state);
            if (subpattern.Pattern is IRecursivePatternOperation nested && depth < 8)
            {
                state = Subpatterns(path, nested, state, depth + 1);
            }
        }

        return state;
    }

    /// <summary>A pattern that null never matches: <c>not null</c>, <c>{ }</c>, a type, a typed declaration.</summary>
    private static bool ExcludesNull(IPatternOperation pattern) => pattern switch
    {
        INegatedPatternOperation { Pattern: IConstantPatternOperation constant } => IsNull(constant.Value),
        IRecursivePatternOperation or ITypePatternOperation => true,
        IDeclarationPatternOperation declaration => !declaration.MatchesNull,
        _ => false,
    };

    private static FlowState MarkNotNull(IOperation value, FlowState state, FlowContext context)
    {
        if (PathOf(value) is not { } path || Of(value, state, context) is not { Untrusted: true } fact || fact.Lower == 1)
        {
            return state;
        }

        state = state.Refine(Key(path), fact.WithRange(1, 1));
        if (value.WalkDownConversions() is IFlowCaptureReferenceOperation capture && Captures.Original(capture, context) is IConditionalAccessOperation access)
        {
            // config?.Rules?.Count is not null: so config, config.Rules and config.Rules.Count are not.
            foreach (var reached in ConditionalPaths(access, null))
            {
                state = MarkPath(reached, state);
            }

            return state;
        }

        return SourcePath(value, context) is { } source ? MarkPath(source, state) : state;
    }

    private static FlowState MarkPath(object path, FlowState state) =>
        OfPath(path, state) is { Untrusted: true } fact && fact.Lower != 1 ? state.Refine(Key(path), fact.WithRange(1, 1)) : state;

    /// <summary>The null state of a path, kept or derived from its owner's: what <see cref="Of"/> gives for an operation.</summary>
    private static ValueFact? OfPath(object path, FlowState state, int depth = 0)
    {
        if (state[Key(path)] is { } known)
        {
            return known;
        }

        return path is FlowKey.MemberKey member && depth < 16 && OfPath(member.Owner, state, depth + 1) is { Untrusted: true } owner
            ? Member(owner.Origin, member.Field switch { IPropertySymbol property => property.Type, IFieldSymbol field => field.Type, _ => null })
            : null;
    }

    /// <summary>The paths a conditional access reads, receiver first: <c>a?.B?.C</c> gives a, a.B and a.B.C.</summary>
    private static IEnumerable<object> ConditionalPaths(IConditionalAccessOperation access, object? receiver)
    {
        if (WithReceiver(access.Operation, receiver) is not { } path)
        {
            yield break;
        }

        yield return path;
        if (access.WhenNotNull is IConditionalAccessOperation inner)
        {
            foreach (var nested in ConditionalPaths(inner, path))
            {
                yield return nested;
            }
        }
        else if (WithReceiver(access.WhenNotNull, path) is { } last)
        {
            yield return last;
        }
    }

    /// <summary>The path of an operation whose <c>?.</c> receiver (the implicit instance) is <paramref name="receiver"/>.</summary>
    private static object? WithReceiver(IOperation operation, object? receiver) => operation.WalkDownConversions() switch
    {
        IConditionalAccessInstanceOperation => receiver,
        IPropertyReferenceOperation { Property.IsIndexer: false, Instance: { } instance } property when WithReceiver(instance, receiver) is { } owner => new FlowKey.MemberKey(owner, property.Property),
        IFieldReferenceOperation { Instance: { } instance } field when WithReceiver(instance, receiver) is { } owner => new FlowKey.MemberKey(owner, field.Field),
        var other => PathOf(other),
    };
}
