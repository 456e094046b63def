using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// <c>encoding.GetCharCount(bytes)</c> (or <c>(bytes, index, count)</c>): the base library's encodings decode at least
/// one byte into each character (UTF-8 and single-byte encodings one or more, UTF-16 two, UTF-32 two for a surrogate
/// pair of four), and replace an invalid byte with one character, so the count is at most the number of bytes decoded.
/// It is as untrusted as the bytes, and as bounded as their length. (A Decoder is not: it carries bytes over from the
/// previous call.)
/// </summary>
internal static class DecodedCounts
{
    public static ValueFact? Of(IInvocationOperation invocation, FlowState state, FlowContext context, int depth)
    {
        var method = invocation.TargetMethod;
        if (method.Name != "GetCharCount" || method.ReturnType.SpecialType != SpecialType.System_Int32
            || !IsEncoding(method.ContainingType)
            || invocation.Arguments.Argument("bytes")?.Value.WalkDownConversions() is not { } bytes)
        {
            return null;
        }

        var count = invocation.Arguments.Argument("count")?.Value is { } counted
            ? Evaluator.Eval(counted, state, context, depth + 1)
            : LengthOf(bytes, state, context, depth);
        var taint = Evaluator.Eval(bytes, state, context, depth + 1);
        return ValueFact.Range(0, count.Upper ?? int.MaxValue).TaintedLike(taint.Untrusted ? taint : count);
    }

    private static bool IsEncoding(INamedTypeSymbol? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.Name == "Encoding" && type.ContainingNamespace?.ToDisplayString() == "System.Text")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The fact of <c>buffer.Length</c>: a constant length, or what the state knows of the Length of a tracked buffer.</summary>
    private static ValueFact LengthOf(IOperation buffer, FlowState state, FlowContext context, int depth)
    {
        var fact = Evaluator.Eval(buffer, state, context, depth + 1);
        if (fact.ConstantLength is { } constant)
        {
            return ValueFact.Constant(constant);
        }

        var type = buffer.Type is IArrayTypeSymbol array ? array.BaseType : buffer.Type;
        return FlowKey.Of(buffer) is { } key && type?.GetMembers("Length").OfType<IPropertySymbol>().FirstOrDefault() is { } length
            && state[new FlowKey.MemberKey(key, length)] is { } known
            ? known
            : ValueFact.Range(fact.MinLength ?? 0, int.MaxValue);
    }
}
