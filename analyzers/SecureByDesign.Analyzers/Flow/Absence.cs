using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Tests that a value is missing or empty: <c>x == null</c>, <c>x is null</c>, <c>x.Length == 0</c> (<c>Count</c>,
/// <c>&lt; 1</c>, <c>&lt;= 0</c>), <c>x.IsEmpty</c>, <c>string.IsNullOrEmpty(x)</c> (<c>IsNullOrWhiteSpace</c>),
/// <c>!x.Any()</c>, <c>x is null or { Length: 0 }</c>, and their negations (<c>x != null</c>, <c>x.Length &gt; 0</c>,
/// <c>x is { Length: &gt; 0 }</c>, <c>x is not null</c>). One condition at a time: the graph splits <c>||</c> and <c>&amp;&amp;</c>.
/// </summary>
internal static class Absence
{
    /// <summary>True when the condition tests a value for absence; <paramref name="absentWhenTrue"/> says on which branch it is absent.</summary>
    public static bool IsTest(IOperation condition, out IOperation subject, out bool absentWhenTrue)
    {
        condition = condition.WalkDownConversions();
        if (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not && IsTest(not.Operand, out subject, out var inner))
        {
            absentWhenTrue = !inner;
            return true;
        }

        if (NullStates.IsNullTest(condition, out subject, out absentWhenTrue))
        {
            return true;
        }

        switch (condition)
        {
            case IInvocationOperation { TargetMethod: { Name: "IsNullOrEmpty" or "IsNullOrWhiteSpace", IsStatic: true, ContainingType.SpecialType: SpecialType.System_String }, Arguments.Length: 1 } call:
                (subject, absentWhenTrue) = (call.Arguments[0].Value, true);
                return true;
            case IInvocationOperation { TargetMethod: { Name: "Any", IsExtensionMethod: true }, Arguments.Length: 1 } any:
                (subject, absentWhenTrue) = (any.Arguments[0].Value, false);
                return true;
            case IPropertyReferenceOperation { Property.Name: "IsEmpty", Instance: { } empty }:
                (subject, absentWhenTrue) = (empty, true);
                return true;
            case IBinaryOperation binary when Counted(binary.LeftOperand) is { } counted && binary.RightOperand.ConstantValue is { HasValue: true, Value: int bound }:
                subject = counted;
                return ComparedToEmpty(binary.OperatorKind, bound, out absentWhenTrue);
            case IIsPatternOperation pattern:
                subject = pattern.Value;
                if (Empty(pattern.Pattern))
                {
                    absentWhenTrue = true;
                    return true;
                }

                absentWhenTrue = false;
                return Present(pattern.Pattern);
            default:
                absentWhenTrue = false;
                return false;
        }
    }

    /// <summary><c>x.Length</c>, <c>x.Count</c>: x.</summary>
    private static IOperation? Counted(IOperation operation) =>
        operation.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Length" or "Count" or "LongLength", Instance: { } instance } ? instance : null;

    /// <summary>A count compared with a constant: <c>== 0</c>, <c>&lt; 1</c>, <c>&lt;= 0</c> hold when empty; <c>!= 0</c>, <c>&gt; 0</c>, <c>&gt;= 1</c> when not.</summary>
    private static bool ComparedToEmpty(BinaryOperatorKind kind, int bound, out bool emptyWhenTrue)
    {
        (var known, emptyWhenTrue) = (kind, bound) switch
        {
            (BinaryOperatorKind.Equals, 0) or (BinaryOperatorKind.LessThan, 1) or (BinaryOperatorKind.LessThanOrEqual, 0) => (true, true),
            (BinaryOperatorKind.NotEquals, 0) or (BinaryOperatorKind.GreaterThan, 0) or (BinaryOperatorKind.GreaterThanOrEqual, 1) => (true, false),
            _ => (false, false),
        };
        return known;
    }

    /// <summary><c>null</c>, <c>{ Length: 0 }</c>, <c>not { }</c>, and either of two such.</summary>
    private static bool Empty(IPatternOperation pattern) => pattern switch
    {
        IConstantPatternOperation constant => constant.Value.WalkDownConversions() is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } },
        IRecursivePatternOperation recursive => CountPattern(recursive) == true,
        INegatedPatternOperation negated => Present(negated.Pattern),
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either => Empty(either.LeftPattern) && Empty(either.RightPattern),
        _ => false,
    };

    /// <summary><c>{ }</c>, <c>{ Length: &gt; 0 }</c>, <c>not null</c>, and both of two such.</summary>
    private static bool Present(IPatternOperation pattern) => pattern switch
    {
        IRecursivePatternOperation { PropertySubpatterns.Length: 0, DeconstructionSubpatterns.Length: 0 } or IDeclarationPatternOperation or ITypePatternOperation => true,
        IRecursivePatternOperation recursive => CountPattern(recursive) == false,
        INegatedPatternOperation negated => Empty(negated.Pattern),
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both => Present(both.LeftPattern) || Present(both.RightPattern),
        _ => false,
    };

    /// <summary><c>{ Length: 0 }</c>: true; <c>{ Length: &gt; 0 }</c>: false; null otherwise.</summary>
    private static bool? CountPattern(IRecursivePatternOperation recursive)
    {
        if (recursive.PropertySubpatterns.Length != 1
            || recursive.PropertySubpatterns[0] is not { Member: IPropertyReferenceOperation { Property.Name: "Length" or "Count" } or IMemberReferenceOperation { Member.Name: "Length" or "Count" }, Pattern: { } inner })
        {
            return null;
        }

        return inner switch
        {
            IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: 0 } } => true,
            IRelationalPatternOperation { Value.ConstantValue: { HasValue: true, Value: int bound } } relational when ComparedToEmpty(relational.OperatorKind, bound, out var empty) => empty,
            _ => null,
        };
    }
}
