using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What the engine knows of the element count of records and buffers that calls produce: a split string has at
/// least one field (unless empty entries are removed), a slice with a constant length has that length.
/// </summary>
internal static class Records
{
    /// <summary>An array, list or span: a type whose <c>int</c> indexer reads element i of <c>Length</c> or <c>Count</c>, and throws past them.</summary>
    public static bool IsIndexable(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol { Rank: 1 } => true,
        INamedTypeSymbol named => named.Name is "List" or "IList" or "IReadOnlyList" or "ImmutableArray" or "Span" or "ReadOnlySpan" or "Collection" or "ReadOnlyCollection",
        _ => false,
    };

    /// <summary>The fact of a call's result, with its element count where the call fixes it.</summary>
    public static ValueFact Shape(IInvocationOperation invocation, ValueFact fact)
    {
        var method = invocation.TargetMethod;
        switch (method.ContainingType?.Name, method.Name)
        {
            case ("String", "Split"):
                // "a,b".Split(',') always has element 0; with RemoveEmptyEntries, or a count that may be 0, it can be empty.
                var options = invocation.Arguments.Argument("options");
                var count = invocation.Arguments.Argument("count");
                var keepsEmpty = options is null || (options.Value.ConstantValue is { HasValue: true, Value: int flags } && (flags & 1) == 0);
                var countPositive = count is null || (count.Value.ConstantValue is { HasValue: true, Value: int n } && n > 0);
                return keepsEmpty && countPositive ? fact.WithMinLength(1) : fact;
            case ("Regex", "Split"):
                return invocation.Arguments.Argument("count") is null ? fact.WithMinLength(1) : fact;
            case ("MemoryExtensions", "AsSpan" or "AsMemory"):
            case ("Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory", "Slice"):
                return invocation.Arguments.Argument("length")?.Value.ConstantValue is { HasValue: true, Value: int length } && length >= 0
                    ? new ValueFact(fact.Untrusted, fact.Origin, null, null, FlowKey.EmptySet, FlowKey.EmptySet, length)
                    : fact;
            default:
                return fact;
        }
    }

    /// <summary>The element count of <c>stackalloc T[n]</c> with a constant n.</summary>
    public static int? StackallocLength(IOperation operation) =>
        StackallocSize(operation) is { ConstantValue: { HasValue: true, Value: int length } } ? length : null;

    /// <summary>The size <c>n</c> of <c>stackalloc T[n]</c> (the operation, or a conversion of it to a span); null for anything else.</summary>
    public static IOperation? StackallocSize(IOperation operation) =>
        operation.Syntax is StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax { RankSpecifiers.Count: 1 } array }
            && array.RankSpecifiers[0].Sizes.Count == 1
            ? operation.DescendantsAndSelf().FirstOrDefault(d => d.Syntax == array.RankSpecifiers[0].Sizes[0])
            : null;
}
