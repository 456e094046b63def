using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// <c>stream.Read(buffer, offset, count)</c>, <c>ReadAsync</c>, <c>ReadAtLeast</c>, <c>TextReader.Read(buffer, index,
/// count)</c>: a read into a buffer that returns how many elements it stored. The result is bounded by the count it was
/// given (or the span's length), not chosen by the content: the engine (<c>Evaluator</c>) takes it from the count.
/// </summary>
internal static class ReadCounts
{
    /// <summary>
    /// The buffer argument of such a read, an array, span or memory (as written: <c>Marshal.ReadInt32(bytes, 0)</c> is
    /// taken for one too); null for any other call: a read with no buffer (ReadInt32) returns content.
    /// </summary>
    public static IArgumentOperation? Buffer(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name.StartsWith("Read", StringComparison.Ordinal) && IsCount(invocation.TargetMethod.ReturnType)
            ? invocation.Arguments.FirstOrDefault(a => a.Value.WalkDownConversions().Type is IArrayTypeSymbol || a.Value.Type?.Name is "Span" or "Memory")
            : null;

    /// <summary>
    /// The buffer argument of a read that surely returns a count: one with a <c>count</c> parameter (the framework's
    /// <c>Read(buffer, offset, count)</c>, and a method of the compilation written in that shape, as a stream's own
    /// <c>Read</c> override is), or a framework read into a span or memory. A helper of the compilation that takes a
    /// buffer and no count (<c>ReadUInt16(data, offset)</c>) reads a value out of it: not this.
    /// </summary>
    public static IArgumentOperation? Counted(IInvocationOperation invocation) =>
        Buffer(invocation) is { Parameter.Type: IArrayTypeSymbol or { Name: "Span" or "Memory" } } buffer
        && (invocation.TargetMethod.Parameters.Any(p => p.Name == "count") || !invocation.TargetMethod.Locations.Any(l => l.IsInSource))
            ? buffer
            : null;

    /// <summary>int, Task&lt;int&gt; or ValueTask&lt;int&gt;: what a read that returns a count returns.</summary>
    private static bool IsCount(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_Int32
        || (type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } named && named.TypeArguments[0].SpecialType == SpecialType.System_Int32);
}
