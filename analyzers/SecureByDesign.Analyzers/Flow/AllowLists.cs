using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Checks of a value against the program's own list of names: where <c>name == "Known"</c>, <c>name is "A" or "B"</c>, a
/// <c>case "Known":</c> arm, <c>string.Equals(name, "Known")</c>, <c>known.Contains(name)</c>, <c>known.ContainsKey(name)</c>
/// or <c>known.TryGetValue(name, out ...)</c> holds, the value is one the program chose, not the content: trusted from
/// there on. A collection the engine says is untrusted allows nothing. A type check (<c>typeof(IPlugin).IsAssignableFrom(t)</c>)
/// is not one of these: every type of every assembly the name can load may pass it.
/// </summary>
internal static class AllowLists
{
    /// <summary>True for a constant, non-null string: comparing with one pins the value to a name the program wrote.</summary>
    public static bool IsConstantName(IOperation operation) =>
        operation.WalkDownConversions().ConstantValue is { HasValue: true, Value: string };

    /// <summary>
    /// The values a membership or equality call checks, when it is one: the name, and for <c>TryGetValue</c> the value it
    /// finds, which the collection holds. Empty otherwise.
    /// </summary>
    public static ImmutableArray<IOperation> Checked(IInvocationOperation call, FlowState state, FlowContext context)
    {
        var method = call.TargetMethod;
        switch (method.Name)
        {
            case "Equals" when method.ContainingType?.SpecialType == SpecialType.System_String:
                // name.Equals("Known", ...) and string.Equals(name, "Known", ...).
                var (left, right) = call.Instance is { } instance
                    ? (instance, call.Arguments.FirstOrDefault()?.Value)
                    : (call.Arguments.FirstOrDefault()?.Value, call.Arguments.ElementAtOrDefault(1)?.Value);
                return left is null || right is null ? ImmutableArray<IOperation>.Empty
                    : IsConstantName(right) ? ImmutableArray.Create(left)
                    : IsConstantName(left) ? ImmutableArray.Create(right)
                    : ImmutableArray<IOperation>.Empty;
            case "Contains" or "ContainsKey" or "TryGetValue":
                // known.Contains(name), or Enumerable.Contains(known, name) as an extension.
                var skip = call.Instance is null && method.IsExtensionMethod ? 1 : 0;
                var collection = skip == 0 ? call.Instance : call.Arguments.FirstOrDefault()?.Value;
                var checkedValues = call.Arguments.Skip(skip).Take(method.Name == "TryGetValue" ? 2 : 1).Select(a => a.Value).ToImmutableArray();
                return collection is null || checkedValues.IsEmpty || collection.Type?.SpecialType == SpecialType.System_String
                    || Evaluator.Eval(collection, state, context).Untrusted
                    ? ImmutableArray<IOperation>.Empty
                    : checkedValues;
            default:
                return ImmutableArray<IOperation>.Empty;
        }
    }

    /// <summary>The state where <paramref name="value"/> (and the variable a switch captured it from) passed the check.</summary>
    public static FlowState Allow(IOperation value, FlowState state, FlowContext context)
    {
        var captured = context.Resolve(value);
        if (captured != value)
        {
            state = Allow(captured, state, context);
        }

        return FlowKey.Of(value) is { } key ? state.Refine(key, Evaluator.Eval(value, state, context).Validated()) : state;
    }
}
