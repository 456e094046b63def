using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>What patterns prove about the element count of a record: list patterns and Length/Count subpatterns.</summary>
internal static partial class Conditions
{
    /// <summary>fields is [var a, var b, ..]: at least two elements; without a slice, exactly as many as the patterns.</summary>
    private static FlowState ListCount(IOperation value, IListPatternOperation list, FlowState state, FlowContext context)
    {
        if (list.LengthSymbol is not { } length || FlowKey.Of(value) is not { } record)
        {
            return state;
        }

        var fixedCount = list.Patterns.Count(p => p is not ISlicePatternOperation);
        var exact = fixedCount == list.Patterns.Length;
        state = RefineCount(state, new FlowKey.MemberKey(record, length), fixedCount, exact ? fixedCount : null);
        var element = ValueFact.Unknown.TaintedLike(Evaluator.Eval(value, state, context));
        return list.Patterns.Aggregate(state, (s, p) => p is IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared }
            ? s.Assign(declared, Evaluator.Typed(element, declared.Type))
            : s);
    }

    /// <summary>fields is { Length: >= 21 }: each Length or Count subpattern refines that property of the value.</summary>
    private static FlowState PropertyCounts(object? owner, IRecursivePatternOperation recursive, FlowState state, FlowContext context)
    {
        foreach (var sub in recursive.PropertySubpatterns)
        {
            if (sub.Member is IPropertyReferenceOperation { Property.Name: "Length" or "Count" } member && owner is not null)
            {
                state = SubPattern(new FlowKey.MemberKey(owner, member.Property), sub.Pattern, state, context);
            }
        }

        return state;
    }

    /// <summary>
    /// <c>f switch { { Length: >= 5 } g => g[4], ... }</c>: the value and the variable the pattern declares (once it
    /// holds the value) both have the proven count.
    /// </summary>
    private static FlowState RecursiveCounts(IOperation value, IRecursivePatternOperation recursive, FlowState state, FlowContext context)
    {
        state = NullStates.Pattern(value, recursive, true, PropertyCounts(FlowKey.Of(value), recursive, state, context), context);
        return recursive.DeclaredSymbol is ILocalSymbol declared ? PropertyCounts(declared, recursive, state, context) : state;
    }

    /// <summary>What a pattern on a record's Length or Count proves about it, on the branch where the pattern holds.</summary>
    private static FlowState SubPattern(FlowKey.MemberKey key, IPatternOperation pattern, FlowState state, FlowContext context)
    {
        switch (pattern)
        {
            case IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: int count } }:
                return RefineCount(state, key, count, count);
            case IRelationalPatternOperation { Value.ConstantValue: { HasValue: true, Value: int bound } } relational:
                return relational.OperatorKind switch
                {
                    BinaryOperatorKind.GreaterThan => RefineCount(state, key, bound + 1, null),
                    BinaryOperatorKind.GreaterThanOrEqual => RefineCount(state, key, bound, null),
                    _ => state,
                };
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both:
                return SubPattern(key, both.RightPattern, SubPattern(key, both.LeftPattern, state, context), context);
            default:
                return state;
        }
    }

    /// <summary><c>!string.IsNullOrEmpty(code)</c> (or <c>IsNullOrWhiteSpace</c>): where it holds, code has a character.</summary>
    private static FlowState NonEmpty(IInvocationOperation call, bool holds, FlowState state)
    {
        if (holds || call.TargetMethod is not { Name: "IsNullOrEmpty" or "IsNullOrWhiteSpace", IsStatic: true, ContainingType.SpecialType: SpecialType.System_String }
            || call.Arguments.Length != 1 || FlowKey.Of(call.Arguments[0].Value) is not { } text
            || call.TargetMethod.ContainingType.GetMembers("Length").OfType<IPropertySymbol>().FirstOrDefault() is not { } length)
        {
            return state;
        }

        return RefineCount(state, new FlowKey.MemberKey(text, length), 1, null);
    }

    /// <summary>
    /// <c>text.EndsWith("()")</c> or <c>StartsWith</c> with a constant: where it holds, the text has at least as many
    /// characters as the constant (<c>text.Substring(0, text.Length - 2)</c> fits). Always so for an ordinal comparison
    /// and a <c>char</c>. The culture's comparison ignores some characters and equates others with sequences, so it counts
    /// only without <c>IgnoreCase</c> (which equates compatibility forms, <c>"⑴"</c> with <c>"(1)"</c>) and for a
    /// constant of printable ASCII characters other than <c>-</c> and <c>'</c> (which Windows' older comparison ignores):
    /// no single character is then canonically equal to two of them.
    /// </summary>
    private static FlowState Affixed(IInvocationOperation call, bool holds, FlowState state)
    {
        if (!holds || call is not { TargetMethod: { Name: "StartsWith" or "EndsWith", IsStatic: false, ContainingType.SpecialType: SpecialType.System_String }, Instance: { } instance }
            || call.Arguments.Length == 0 || FlowKey.Of(instance) is not { } text || state[text] is not { } known)
        {
            return state;
        }

        var affix = call.Arguments[0].Value.ConstantValue;
        var least = affix.Value switch
        {
            char => 1,
            string constant when IsOrdinal(call) || (IsCultureCaseSensitive(call) && constant.All(c => c is >= ' ' and <= '~' and not '-' and not '\'')) => constant.Length,
            _ => 0,
        };
        // The text's own fewest characters: its Length stays as untrusted as the text, and never below them.
        return affix.HasValue && least > known.FewestElements ? state.Refine(text, known.WithMinLength(least)) : state;
    }

    private static bool IsOrdinal(IInvocationOperation call) =>
        call.Arguments.Length == 2 && Comparison(call.Arguments[1].Value) is "Ordinal" or "OrdinalIgnoreCase";

    /// <summary>No comparison given (the current culture), or a culture's comparison that is not <c>IgnoreCase</c>.</summary>
    private static bool IsCultureCaseSensitive(IInvocationOperation call) =>
        call.Arguments.Length == 1 || (call.Arguments.Length == 2 && Comparison(call.Arguments[1].Value) is "CurrentCulture" or "InvariantCulture");

    /// <summary>The <c>StringComparison</c> member an argument names, or null.</summary>
    private static string? Comparison(IOperation value) =>
        value.WalkDownConversions() is IFieldReferenceOperation { Field: { HasConstantValue: true, ContainingType.Name: "StringComparison" } member } ? member.Name : null;

    /// <summary><c>span.IsEmpty</c> of a span, memory or segment: where it is false, the view has an element.</summary>
    private static FlowState NotEmpty(IPropertyReferenceOperation empty, bool holds, FlowState state)
    {
        if (holds || empty.Instance is not { } view || FlowKey.Of(view) is not { } key
            || view.Type?.GetMembers("Length").Concat(view.Type.GetMembers("Count")).OfType<IPropertySymbol>().FirstOrDefault(p => !p.IsStatic && !p.IsIndexer) is not { } length)
        {
            return state;
        }

        return RefineCount(state, new FlowKey.MemberKey(key, length), 1, null);
    }

    /// <summary>
    /// A record's count is at least <paramref name="lower"/> (and exactly it, when <paramref name="upper"/> is given). A count
    /// learned here is still at most its own length: after <c>if (buffer.IsEmpty) return;</c>, <c>n &lt; buffer.Length ? n :
    /// buffer.Length</c> is at most the buffer's length.
    /// </summary>
    private static FlowState RefineCount(FlowState state, FlowKey.MemberKey key, long lower, long? upper)
    {
        var fact = (state[key] ?? ValueFact.Range(0, int.MaxValue).AtMost(key.Owner)).WithLower(lower);
        return state.Refine(key, upper is { } u ? fact.WithUpper(u) : fact);
    }
}
