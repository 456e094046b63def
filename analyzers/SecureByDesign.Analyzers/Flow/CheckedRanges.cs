using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Ranges a call checked: a call that takes a range of a buffer and returns normally had that range inside it, for the
/// framework's range members throw otherwise (<c>stream.Read(buffer, 0, 4)</c>, <c>span.Slice(2, 3)</c>), and so does
/// a method of the compilation that hands its own buffer, offset and count parameters, unchanged, to one of them on
/// every path from its start (<c>Read(this Stream s, Span&lt;byte&gt; b, int o, int c) =&gt; s.Read(b.Slice(o, c))</c>).
/// After it, the buffer has at least offset + count elements (the lower bounds proven of each). Only arrays and spans.
/// </summary>
internal static class CheckedRanges
{
    private const int MaxDepth = 3;

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, Range?>> PassedOn = new();

    /// <summary>The buffer, offset and length of a range, as arguments of a call or ordinals of a method's parameters.</summary>
    private sealed record Range(int Buffer, int Offset, int Length);

    public static FlowState After(IInvocationOperation invocation, FlowState state, FlowContext context)
    {
        var (buffer, offset, length) = Arguments(invocation, context.Trust, context.Summaries, 0, context.CancellationToken);
        if (buffer is null || offset is null || length is null || !IsBuffer(buffer.Type) || FlowKey.Of(buffer) is not { } key
            || (invocation.TargetMethod is { Name: "BlockCopy", ContainingType.Name: "Buffer" } && buffer.WalkDownConversions().Type is not IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte or SpecialType.System_SByte }))
        {
            return state; // Buffer.BlockCopy counts bytes: of an int[] they are not elements.
        }

        var start = Evaluator.Eval(offset, state, context);
        state = Contained(offset, key, start, state);
        var count = Evaluator.Eval(length, state, context);
        // The call throws on a negative offset too: once it returns, the offset was at least 0, whatever the code knew
        // of it (stream.Read(buffer, received, 2) at the bytes received so far).
        var first = Math.Max(start.Lower ?? 0, 0);
        if (count.Lower is not { } fewest || fewest <= 0 || first + fewest > int.MaxValue)
        {
            return state;
        }

        var known = state[key] ?? Evaluator.Eval(buffer, state, context);
        var least = (int)(first + fewest);
        return known.FewestElements >= least ? state : state.Refine(key, known.WithMinLength(least));
    }

    /// <summary>
    /// The offset itself, a variable or field (not a cast of one, which may be another number), was between 0 and the
    /// buffer's length: <c>stream.Read(input, inputEnd, input.Length - inputEnd)</c> with a field the method started
    /// knowing nothing of, after which the bytes read so far stay at most the length.
    /// </summary>
    private static FlowState Contained(IOperation offset, object buffer, ValueFact start, FlowState state)
    {
        if (offset is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation) || FlowKey.Of(offset) is not { } at
            || (start.IsNonNegative && start.AtMostLength.Contains(buffer)))
        {
            return state;
        }

        return state.Refine(at, start.WithLower(0).AtMost(buffer));
    }

    private static (IOperation? Buffer, IOperation? Offset, IOperation? Length) Arguments(
        IInvocationOperation invocation, TrustModel trust, MethodSummaries summaries, int depth, CancellationToken cancellationToken)
    {
        if (trust.Find(invocation.TargetMethod, TrustRole.Slice) is { Buffer: { } buffer, Offset: { } offset, Length: { } length })
        {
            return (TrustEntry.Argument(invocation, buffer), TrustEntry.Argument(invocation, offset), TrustEntry.Argument(invocation, length));
        }

        var method = invocation.TargetMethod;
        // A helper passes on a buffer, an offset and a length: one with fewer parameters is not read at all.
        if (depth >= MaxDepth || method.Parameters.Length < 3 || method.DeclaringSyntaxReferences.IsEmpty || method.IsVirtual || method.IsAbstract || method.IsOverride)
        {
            return (null, null, null);
        }

        // Cached for the calls the analyzed code makes (depth 0), so the answer does not depend on which call asked first.
        var found = depth == 0
            ? PassedOn.GetValue(summaries.Compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(method.OriginalDefinition, m => Find(m, trust, summaries, 0, cancellationToken))
            : Find(method.OriginalDefinition, trust, summaries, depth, cancellationToken);
        if (found is not { } range)
        {
            return (null, null, null);
        }

        IOperation? Passed(int ordinal) => invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value;
        return (Passed(range.Buffer), Passed(range.Offset), Passed(range.Length));
    }

    private static Range? Find(IMethodSymbol method, TrustModel trust, MethodSummaries summaries, int depth, CancellationToken cancellationToken)
    {
        if (summaries.Body(method, cancellationToken) is not { } body)
        {
            return null;
        }

        var operations = body.Descendants().ToList();
        if (operations.Any(o => o is IAssignmentOperation { Target: IParameterReferenceOperation } or IIncrementOrDecrementOperation { Target: IParameterReferenceOperation }
            || o is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: IParameterReferenceOperation }))
        {
            return null;
        }

        foreach (var call in Unconditional(body).OfType<IInvocationOperation>())
        {
            var (buffer, offset, length) = Arguments(call, trust, summaries, depth + 1, cancellationToken);
            if (Parameter(buffer, method) is { } b && Parameter(offset, method) is { } o && Parameter(length, method) is { } l)
            {
                return new Range(b, o, l);
            }
        }

        return null;
    }

    /// <summary>
    /// The operations a body runs on every path that returns: those of its leading statements (up to the first that can
    /// branch, loop or leave), outside any conditional part (<c>?:</c>, <c>??</c>, <c>?.</c>, <c>&amp;&amp;</c>, lambdas).
    /// </summary>
    private static IEnumerable<IOperation> Unconditional(IOperation body)
    {
        var block = body switch
        {
            IMethodBodyOperation method => method.BlockBody ?? method.ExpressionBody,
            IBlockOperation plain => plain,
            _ => null,
        };
        if (block is null)
        {
            yield break;
        }

        foreach (var statement in block.Operations)
        {
            if (statement is not (IExpressionStatementOperation or IReturnOperation or IVariableDeclarationGroupOperation))
            {
                yield break;
            }

            foreach (var operation in Straight(statement))
            {
                yield return operation;
            }

            if (statement is IReturnOperation)
            {
                yield break;
            }
        }
    }

    private static IEnumerable<IOperation> Straight(IOperation operation)
    {
        yield return operation;
        if (operation is IConditionalOperation or ICoalesceOperation or IConditionalAccessOperation or IAnonymousFunctionOperation
            or IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr })
        {
            yield break;
        }

        foreach (var child in operation.ChildOperations)
        {
            foreach (var inner in Straight(child))
            {
                yield return inner;
            }
        }
    }

    private static int? Parameter(IOperation? value, IMethodSymbol method) =>
        value?.WalkDownConversions() is IParameterReferenceOperation { Parameter: var parameter }
        && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method) ? parameter.Ordinal : null;

    private static bool IsBuffer(ITypeSymbol? type) =>
        type is IArrayTypeSymbol { Rank: 1 } or INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory", ContainingNamespace.Name: "System" };
}
