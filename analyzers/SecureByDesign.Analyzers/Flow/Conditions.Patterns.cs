using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>What <c>is</c> patterns and switch arms prove: relations, constants, and/or/not, declarations, and the null state.</summary>
internal static partial class Conditions
{
    private static FlowState Pattern(IOperation value, IPatternOperation pattern, bool holds, FlowState state, FlowContext context)
    {
        value = context.Resolve(value);
        switch (pattern)
        {
            case IRelationalPatternOperation relational when Relation(relational.OperatorKind) is { } relation:
                return Compare(value, holds ? relation : Negate(relation), relational.Value, state, context);
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both when holds:
                return Pattern(value, both.RightPattern, true, Pattern(value, both.LeftPattern, true, state, context), context);
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either when !holds:
                return Pattern(value, either.RightPattern, false, Pattern(value, either.LeftPattern, false, state, context), context);
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either when holds:
                // "is A or B": one of the two held, so what both prove (the hull of two constants) holds.
                state = state.Freeze(); // refined two ways
                return Pattern(value, either.LeftPattern, true, state, context).Join(Pattern(value, either.RightPattern, true, state, context), context);
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both when !holds:
                state = state.Freeze();
                return Pattern(value, both.LeftPattern, false, state, context).Join(Pattern(value, both.RightPattern, false, state, context), context);
            case INegatedPatternOperation negated:
                return Pattern(value, negated.Pattern, !holds, state, context);
            case IConstantPatternOperation constant when holds:
                return NullStates.Pattern(value, pattern, holds, Compare(value, Relational.Equal, constant.Value, state, context), context);
            case IListPatternOperation list when holds:
                return NullStates.Pattern(value, pattern, holds, ListCount(value, list, state, context), context);
            case IRecursivePatternOperation recursive when holds:
                return RecursiveCounts(value, recursive, state, context);
            case IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared } when holds:
                // "var b" and "int b" in switch arms and is-patterns: b is the value.
                return NullStates.Pattern(value, pattern, holds, state.Assign(declared, Evaluator.Eval(value, state, context)), context);
            case IConstantPatternOperation or IRecursivePatternOperation or ITypePatternOperation:
                return NullStates.Pattern(value, pattern, holds, state, context);
            default:
                return state;
        }
    }
}
