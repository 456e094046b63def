using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What the nullable attributes of a called method's parameters prove: <c>[NotNull]</c> (not null once the call returned:
/// <c>ArgumentNullException.ThrowIfNull</c>), <c>[NotNullWhen(b)]</c> (not null where the call returned b:
/// <c>string.IsNullOrEmpty</c>) and <c>[DoesNotReturnIf(b)]</c> (the condition was not b once the call returned).
/// A method marked <c>[Conditional]</c> (<c>Debug.Assert</c>) proves nothing: release builds do not call it.
/// </summary>
internal static partial class NullStates
{
    private const string AttributeNamespace = "System.Diagnostics.CodeAnalysis";

    /// <summary>After the call returned normally.</summary>
    public static FlowState AfterCall(IInvocationOperation call, FlowState state, FlowContext context)
    {
        if (IsConditional(call.TargetMethod))
        {
            return state;
        }

        foreach (var argument in call.Arguments)
        {
            foreach (var attribute in argument.Parameter?.GetAttributes() ?? ImmutableArray<AttributeData>.Empty)
            {
                switch (NameOf(attribute))
                {
                    case "NotNullAttribute":
                        state = MarkNotNull(argument.Value, state, context);
                        break;
                    case "DoesNotReturnIfAttribute" when BoolArgument(attribute) is { } parameterValue:
                        state = Conditions.Refine(argument.Value, !parameterValue, state, context);
                        break;
                }
            }
        }

        return state;
    }

    /// <summary>On the branch where a call to a method returning bool returned <paramref name="returned"/>.</summary>
    public static FlowState CallResult(IInvocationOperation call, bool returned, FlowState state, FlowContext context)
    {
        if (call.TargetMethod.ReturnType.SpecialType != SpecialType.System_Boolean || IsConditional(call.TargetMethod))
        {
            return state;
        }

        foreach (var argument in call.Arguments)
        {
            foreach (var attribute in argument.Parameter?.GetAttributes() ?? ImmutableArray<AttributeData>.Empty)
            {
                if (NameOf(attribute) == "NotNullWhenAttribute" && BoolArgument(attribute) == returned)
                {
                    state = MarkNotNull(argument.Value, state, context);
                }
            }
        }

        return state;
    }

    private static string? NameOf(AttributeData attribute) =>
        attribute.AttributeClass is { } type && type.ContainingNamespace?.ToDisplayString() == AttributeNamespace ? type.Name : null;

    private static bool? BoolArgument(AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is bool value ? value : null;

    private static bool IsConditional(IMethodSymbol method) =>
        method.GetAttributes().Any(attribute => attribute.AttributeClass is { Name: "ConditionalAttribute", ContainingNamespace: { } ns } && ns.ToDisplayString() == "System.Diagnostics");
}
