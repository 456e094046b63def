using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What <c>Enum.IsDefined</c> proves on the branch where it returns true: the value lies between the smallest
/// and the largest member of the enum. The value may be a variable or an element at a constant index (<see cref="Elements"/>). Range checks against the members (<c>kind &gt; Kind.Last</c>) need
/// nothing here: they are comparisons with constants.
/// </summary>
internal static class EnumRanges
{
    /// <summary><c>Enum.IsDefined(value)</c>, <c>Enum.IsDefined&lt;T&gt;(value)</c> or <c>Enum.IsDefined(typeof(T), value)</c>.</summary>
    public static bool IsDefinedCheck(IInvocationOperation invocation) =>
        invocation.TargetMethod is { Name: "IsDefined", ContainingType.SpecialType: SpecialType.System_Enum } && invocation.Arguments.Length > 0;

    /// <summary>The smallest and largest value of the enum's members, or null for a type that is not an enum or has none.</summary>
    public static (long Min, long Max)? MemberRange(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
        {
            return null;
        }

        long? min = null, max = null;
        foreach (var member in enumType.GetMembers().OfType<IFieldSymbol>())
        {
            if (member.HasConstantValue && member.ConstantValue is { } value && Evaluator.TryGetInteger(value, out var number))
            {
                min = min is { } low ? Math.Min(low, number) : number;
                max = max is { } high ? Math.Max(high, number) : number;
            }
        }

        return min is { } lower && max is { } upper ? (lower, upper) : null;
    }

    /// <summary>On the branch where IsDefined returned true: the value is within the members' range.</summary>
    public static FlowState Defined(IInvocationOperation invocation, FlowState state, FlowContext context)
    {
        var enumType = invocation.TargetMethod.IsGenericMethod
            ? invocation.TargetMethod.TypeArguments[0]
            : invocation.Arguments[0].Value is ITypeOfOperation typeOf ? typeOf.TypeOperand : invocation.Arguments[0].Value.Type;
        var value = invocation.Arguments[invocation.Arguments.Length - 1].Value.WalkDownConversions();
        // Enum.IsDefined(typeof(Kind), (int)data[0]): the element at a constant index is in range until the buffer changes.
        if (MemberRange(enumType) is not var (min, max) || value.Type?.SpecialType == SpecialType.System_String || (FlowKey.Of(value) ?? Elements.Key(value)) is not { } key)
        {
            return state;
        }

        var fact = state[key] ?? Evaluator.Eval(value, state, context);
        return state.Refine(key, fact.WithLower(min).WithUpper(max));
    }
}
