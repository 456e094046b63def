using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The position a search of the base library returns: <c>line.IndexOf('#')</c>, <c>Array.IndexOf(items, x)</c>,
/// <c>span.IndexOfAny(a, b)</c>, <c>list.IndexOf(x)</c>. It is -1 or a position of the searched object, so once a check
/// rules out -1 it is a valid index into that same object (a search for one element) or a valid length of it (a search
/// for a sequence, which matches at the end when the sequence is empty). A search of the compilation's own types
/// promises nothing.
/// </summary>
internal static class SearchResults
{
    /// <summary>The fact of a search's result, as untrusted as <paramref name="taint"/>; null when the call is not one of the base library's searches.</summary>
    public static ValueFact? Of(IInvocationOperation invocation, Func<ValueFact> taint)
    {
        var method = invocation.TargetMethod;
        if (method.ReturnType.SpecialType != SpecialType.System_Int32 || !IsSearch(method) || Searched(invocation) is not { } searched || FlowKey.Of(searched) is not { } key)
        {
            return null;
        }

        var result = ValueFact.Range(IsBinary(method) ? int.MinValue : -1, int.MaxValue - 1).TaintedLike(taint());
        return FindsOneElement(method) ? result.Below(key) : result.AtMost(key);
    }

    /// <summary>
    /// The parameter of <paramref name="method"/> whose valid index a search in <paramref name="returned"/> finds, when
    /// it is one of the base library's searches for one element, of that parameter; null otherwise.
    /// </summary>
    public static IParameterSymbol? SearchedParameter(IMethodSymbol method, IOperation? returned) =>
        returned?.WalkDownConversions() is IInvocationOperation invocation
        && invocation.TargetMethod.ReturnType.SpecialType == SpecialType.System_Int32
        && IsSearch(invocation.TargetMethod)
        && FindsOneElement(invocation.TargetMethod)
        && Searched(invocation)?.WalkDownConversions() is IParameterReferenceOperation { Parameter: var parameter }
        && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method)
            ? parameter
            : null;

    private static bool IsBinary(IMethodSymbol method) => method.Name == "BinarySearch";

    private static bool IsSearch(IMethodSymbol method) =>
        method.Name is "IndexOf" or "LastIndexOf" or "BinarySearch" or "IndexOfAny" or "LastIndexOfAny" or "IndexOfAnyExcept" or "LastIndexOfAnyExcept"
            or "IndexOfAnyInRange" or "LastIndexOfAnyInRange" or "IndexOfAnyExceptInRange" or "LastIndexOfAnyExceptInRange"
        && method.ContainingType is { } type
        && (type.ContainingNamespace?.ToDisplayString() is "System" && type.Name is "String" or "Array" or "MemoryExtensions"
            || type.ContainingNamespace?.ToDisplayString() is "System.Collections.Generic" && type.Name is "List" or "IList"
            || type.ContainingNamespace?.ToDisplayString() is "System.Collections.Immutable" && type.Name is "ImmutableArray");

    /// <summary>The object searched: the instance, or the first argument of <c>Array.IndexOf</c> and the span extensions.</summary>
    private static IOperation? Searched(IInvocationOperation invocation) =>
        invocation.Instance ?? invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value;

    /// <summary>
    /// A search for one element (a char, an item, any of a set) returns an index below the length; a search for a
    /// sequence (a string or a span) can return the length itself when the sequence is empty.
    /// </summary>
    private static bool FindsOneElement(IMethodSymbol method)
    {
        if (method.Name.Contains("Any") || IsBinary(method))
        {
            return true;
        }

        var first = method.IsExtensionMethod || method.ContainingType?.Name == "Array" ? 1 : 0;
        var value = method.Parameters.Length > first ? method.Parameters[first].Type : null;
        return value is not null && value.SpecialType != SpecialType.System_String && value.Name is not ("Span" or "ReadOnlySpan") && value is not IArrayTypeSymbol;
    }
}
