using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Helpers of the compilation that hand a span or array they are given, or a slice of it, to a read
/// (<c>static int Read(this Stream stream, Span&lt;byte&gt; buffer, int offset, int count) =&gt; stream.Read(buffer.Slice(offset, count))</c>):
/// a call of one fills the buffer it is given as the read does. Read from the helper's own body, once per method and compilation.
/// </summary>
internal static class FillHelpers
{
    private static readonly ConditionalWeakTable<MethodSummaries, ConcurrentDictionary<IMethodSymbol, string?>> Cache = new();

    /// <summary>The origin of what the call fills (the helper and the read inside it), or null when it is no such helper.</summary>
    public static string? Origin(IInvocationOperation invocation, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        if (method.DeclaringSyntaxReferences.IsEmpty || !method.Parameters.Any(p => IsBuffer(p.Type)))
        {
            return null;
        }

        return Cache.GetValue(summaries, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(method, m => Find(m, summaries, cancellationToken));
    }

    private static string? Find(IMethodSymbol method, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        if (summaries.Body(method, cancellationToken) is not { } body)
        {
            return null;
        }

        foreach (var read in body.Descendants().OfType<IInvocationOperation>())
        {
            if (read.Arguments.Any(a => IsBuffer(a.Value.Type) && Root(a.Value) is IParameterReferenceOperation { Parameter: var parameter }
                    && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method))
                && TaintSources.Origin(read, summaries.Trust, summaries.OptionsOf(method), cancellationToken) is { } origin)
            {
                return $"{method.Name} ({origin})";
            }
        }

        return null;
    }

    /// <summary>The value under views of it: <c>buffer.Slice(offset, count)</c>, <c>buffer.AsSpan(...)</c> are <c>buffer</c>.</summary>
    private static IOperation Root(IOperation value)
    {
        for (var depth = 0; depth < 4; depth++)
        {
            value = value.WalkDownConversions();
            if (value is IInvocationOperation { TargetMethod.Name: "Slice" or "AsSpan" or "AsMemory" } view && (view.Instance ?? view.Arguments.FirstOrDefault()?.Value) is { } inner)
            {
                value = inner;
                continue;
            }

            break;
        }

        return value;
    }

    private static bool IsBuffer(ITypeSymbol? type) => type is IArrayTypeSymbol || type?.Name is "Span" or "Memory";
}
